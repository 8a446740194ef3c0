"""Word lists for the benchmark corpus (bench/corpus.py).

Real Dutch words, so the text looks and tokenises like an education site's,
split by role. The glossary is built from *separate* morphemes (TERM_PREFIXES x
TERM_HEADS, TERM_ADJECTIVES) and corpus.py drops any candidate that collides
with a filler word, so a glossary term occurs in an article exactly where the
generator put it and nowhere else: the per-article term counts are known.
Changing a list changes every generated corpus (the seed alone no longer
reproduces old figures), so treat these lists as frozen once figures exist.
"""

from __future__ import annotations

# Very frequent words: they carry most of the Zipf weight, as in real text.
FUNCTION_WORDS: tuple[str, ...] = tuple(
    """
    de het een en van in op te dat die voor met is zijn niet aan er om ook als bij of door
    maar naar uit nog wel dan kan worden wordt over tot zo meer geen hun deze dit wat
    wanneer hoe omdat zodat waarbij je we ze hij zij jouw onze hebben heeft kunnen moeten
    zullen gaan komt vaak soms altijd samen daarna eerst tijdens zonder binnen tussen onder
    echter vooral daarbij bovendien dus want terwijl alle veel weinig elke ieder andere zelf
    waar hier daar nu al
""".split()
)

# Everyday education vocabulary: nouns, verbs, adjectives, adverbs.
GENERAL_WORDS: tuple[str, ...] = tuple(
    """
    leerling leerlingen leraar leraren leerkracht leerkrachten school scholen klas klassen
    groep groepen les lessen onderwijs ontwikkeling kennis vaardigheden ouders team directie
    schoolleider bestuur gemeente inspectie jaar week dag moment tijd begin einde vraag
    vragen antwoord antwoorden opdracht opdrachten boek boeken tekst teksten verhaal
    verhalen woorden zinnen getal getallen som sommen tafel tafels bord computer laptop
    tablet schrift map materiaal materialen ruimte lokaal plein gang gebouw omgeving wijk
    buurt kind kinderen jongeren collega collega's coach mentor begeleider specialist expert
    onderzoeker student studenten stagiair vakgebied vak vakken rooster planning doelen
    resultaten resultaat niveau niveaus verschil verschillen aandacht motivatie
    betrokkenheid zelfvertrouwen gedrag sfeer rust structuur regels afspraken afspraak
    gesprek gesprekken overleg vergadering bijeenkomst training scholing cursus workshop
    ervaring ervaringen voorbeeld voorbeelden praktijk theorie onderzoek bron bronnen
    artikel website filmpje podcast handleiding stappenplan overzicht samenvatting uitleg
    instructie oefening oefeningen spel spelletjes project projecten thema onderwerp
    onderwerpen idee ideeën keuze keuzes kans kansen risico probleem problemen oplossing
    oplossingen succes fout fouten vooruitgang stap stappen fase fasen periode proces rol
    taak taken verantwoordelijkheid leren lezen schrijven rekenen spelen werken denken
    praten luisteren kijken vertellen uitleggen oefenen herhalen bespreken plannen kiezen
    helpen ondersteunen begeleiden volgen meten verbeteren ontdekken onderzoeken samenwerken
    reflecteren evalueren vergelijken ordenen beginnen afronden maken geven krijgen nemen
    zien weten vinden zoeken laten houden blijven proberen gebruiken toepassen verwerken
    onthouden begrijpen creëren stimuleren motiveren inzetten organiseren belangrijk nuttig
    lastig moeilijk makkelijk eenvoudig duidelijk concreet actief rustig veilig positief
    kritisch zelfstandig bewust gericht passend sterk zwak nieuw oud jong klein groot kort
    lang snel langzaam goed beter best slim handig prettig open eerlijk vrij vast hele heel
    erg zeer echt precies ongeveer meestal regelmatig dagelijks wekelijks jaarlijks
    landelijk lokaal praktisch didactisch pedagogisch cognitief sociaal emotioneel creatief
    taalvaardig mondeling schriftelijk digitaal hybride persoonlijk gezamenlijk individueel
    collectief extra eigen volgende vorige laatste eerste tweede derde één twee drie vier
    vijf tien twintig honderd procent minuten uur uren maanden schooljaar basisschool
    middelbare voortgezet speciaal onderbouw middenbouw bovenbouw kleuters brugklas examen
    eindtoets rapport portfolio cijfer cijfers beoordeling observatie observaties notitie
    notities verslag presentatie tekening werkblad werkbladen methode methodes aanpak visie
    missie beleid cultuur kwaliteit inhoud vorm
""".split()
)

# Building blocks for topic-specific words: each topic draws its own handful
# from their cross product, which gives related articles shared distinctive
# words (one of the signals of the related-articles rule).
TOPIC_PREFIXES: tuple[str, ...] = tuple(
    """
    klas school les groeps team ouder kinder jeugd natuur wereld geschied aardrijks muziek
    beeld dans drama sport bewegings gezondheids voedings techniek wetenschaps programmeer
    media nieuws schrijf spreek luister verhaal prenten poëzie woordenschat spelling
    grammatica meetkunde breuken kommagetallen verhoudings burgerschaps democratie
    identiteits levensbeschouwings
""".split()
)

TOPIC_SUFFIXES: tuple[str, ...] = tuple(
    """
    les lessen hoek kist boek spel project dag week opdracht activiteit gesprek vraag kring
    tafel kaart map werk plaat tijd ochtend middag uitje bezoek voorstelling wedstrijd proef
    tentoonstelling krant
""".split()
)

# Morphemes for single-word glossary terms (prefix + head), with the head's
# plural used for the alias ("leesstrategie" / "leesstrategieën").
TERM_PREFIXES: tuple[str, ...] = tuple(
    """
    lees reken taal leer toets zorg gedrags feedback doel denk instructie differentiatie
    evaluatie observatie ontwikkelings begeleidings kwaliteits professionaliserings inclusie
    talent executieve motivatie schrijf woord begrips toetsings analyse interventie leerlijn
    vorderings ondersteunings signalerings registratie samenwerkings onderzoeks verbeter
    inspectie curriculum examen mentor loopbaan keuze doorstroom overgangs adviserings
    leerlingvolg reflectie coaching intervisie stage burgerschap sociaal digitale media
    programmeer onderwijs school team ouder klassen groeps lesson
""".split()
)

TERM_HEADS: tuple[tuple[str, str], ...] = tuple(
    (singular, plural)
    for singular, plural in (
        pair.split("/")
        for pair in """
    strategie/strategieën plan/plannen doel/doelen vaardigheid/vaardigheden cyclus/cycli
    model/modellen route/routes kaart/kaarten protocol/protocollen kader/kaders
    profiel/profielen methodiek/methodieken register/registers dossier/dossiers
    traject/trajecten werkwijze/werkwijzen schema/schema's instrument/instrumenten
    monitor/monitors matrix/matrices niveau/niveaus lijn/lijnen agenda/agenda's
    portfolio/portfolio's rubric/rubrics criterium/criteria standaard/standaarden
    norm/normen analyse/analyses overzicht/overzichten gesprek/gesprekken team/teams
    functie/functies competentie/competenties indicator/indicatoren scan/scans audit/audits
    taxonomie/taxonomieën format/formats systeem/systemen
""".split()
    )
)

# Adjectives for multi-word terms ("formatieve toetscyclus"), already in the
# inflected form an attributive adjective takes. None of them is a filler word.
TERM_ADJECTIVES: tuple[str, ...] = tuple(
    """
    adaptieve formatieve summatieve coöperatieve inclusieve doorlopende integrale expliciete
    verlengde dynamische handelingsgerichte opbrengstgerichte metacognitieve thematische
    preventieve curatieve systematische kleinschalige
""".split()
)

# Fixed "##" section titles: their ids are known in advance, so links from
# other articles can carry a "#anchor" that is sure to exist.
SECTION_TITLES: tuple[str, ...] = tuple(
    line.strip()
    for line in """
    Waarom dit belangrijk is
    Aanpak in de klas
    Wat zegt onderzoek?
    Tips voor leraren
    Voorbeelden uit de praktijk
    Achtergrond
    Rol van de schoolleiding
    Samenwerken met ouders
    Valkuilen
    Aan de slag
    Meer weten
    Stappenplan
    Veelgestelde vragen
    Praktijkvoorbeeld
    Tot slot
    Zo begin je
    Wat werkt wel?
    Wat werkt niet?
    Kijkwijzer
    Checklist
    Ervaringen van scholen
    Verder lezen
    In het kort
    Borgen in het team
    Evalueren en bijsturen
""".strip().splitlines()
)

# Theme titles: SUBJECTS x QUALIFIERS gives well over the 500 the large size needs.
THEME_SUBJECTS: tuple[str, ...] = tuple(
    line.strip()
    for line in """
    Professionele leercultuur
    Begrijpend lezen
    Rekenonderwijs
    Burgerschap
    Sociale veiligheid
    Passend onderwijs
    Formatief handelen
    Digitale geletterdheid
    Wetenschap en techniek
    Kunstzinnige oriëntatie
    Bewegingsonderwijs
    Taalontwikkeling
    Meertaligheid
    Hoogbegaafdheid
    Executieve functies
    Ouderbetrokkenheid
    Schoolleiderschap
    Lerarentekort
    Kansengelijkheid
    Gezonde school
    Leesmotivatie
    Schrijfonderwijs
    Woordenschat
    Spelling
    Wereldoriëntatie
    Loopbaanoriëntatie
    Toetsing en examinering
    Onderwijskwaliteit
    Inclusief onderwijs
    Gedrag in de klas
    Samenwerkend leren
    Expliciete directe instructie
    Differentiëren
    Eigenaarschap
    Mediawijsheid
    Programmeren
    Duurzaamheid
    Techniekonderwijs
    Nieuwkomers
    Thuiszitters
""".strip().splitlines()
)

THEME_QUALIFIERS: tuple[str, ...] = (
    "",
    *(
        line.strip()
        for line in """
    in de onderbouw
    in de bovenbouw
    in het vo
    in het mbo
    voor starters
    voor schoolleiders
    in het speciaal onderwijs
    op de pabo
    in kleine scholen
    in de praktijk
    met ouders
    en onderzoek
""".strip().splitlines()
    ),
)

TAG_BASE: tuple[str, ...] = tuple(
    line.strip()
    for line in """
    rekenen
    taal
    lezen
    schrijven
    spelling
    woordenschat
    begrijpend lezen
    technisch lezen
    burgerschap
    sociale veiligheid
    pesten
    gedrag
    passend onderwijs
    zorg
    hoogbegaafdheid
    dyslexie
    dyscalculie
    autisme
    adhd
    nieuwkomers
    nt2
    meertaligheid
    ouderbetrokkenheid
    schoolleiderschap
    teamontwikkeling
    professionalisering
    lerarentekort
    werkdruk
    formatief handelen
    toetsen
    examens
    feedback
    differentiatie
    instructie
    directe instructie
    samenwerkend leren
    coöperatief leren
    executieve functies
    motivatie
    eigenaarschap
    digitale geletterdheid
    mediawijsheid
    programmeren
    ict
    ai in de klas
    wetenschap
    techniek
    natuur
    aardrijkskunde
    geschiedenis
    wereldoriëntatie
    kunst
    muziek
    drama
    beeldende vorming
    gym
    bewegen
    gezondheid
    voeding
    duurzaamheid
    kansengelijkheid
    inclusie
    onderwijskwaliteit
    inspectie
    curriculum
    leerlijnen
    kerndoelen
    referentieniveaus
    leerlingvolgsysteem
    rapportage
    ouders
    kleuters
    onderbouw
    middenbouw
    bovenbouw
    brugklas
    vmbo
    havo
    vwo
    mbo
    pabo
    speciaal onderwijs
    praktijkonderwijs
    groepsplan
    klassenmanagement
    lesvoorbereiding
    huiswerk
    spelend leren
    onderzoekend leren
    ontwerpend leren
    projectonderwijs
    thematisch werken
    leesbevordering
    bibliotheek
    taalontwikkeling
    mondelinge taal
    creëren
    reflectie
    coaching
    intervisie
    loopbaanoriëntatie
    stage
    doorstroom
    schoolkeuze
    ouderavond
    rapportgesprek
    welbevinden
    mentale gezondheid
    privacy
    avg
""".strip().splitlines()
)

TAG_SUFFIXES: tuple[str, ...] = tuple(
    """
    po vo so
""".split()
)

AUTHORS: tuple[str, ...] = tuple(
    line.strip()
    for line in """
    Anouk de Vries
    Bram Jansen
    Charlotte van Dijk
    Daan Bakker
    Esther Visser
    Floor Smit
    Gijs Meijer
    Hanneke de Boer
    Inge Mulder
    Joris de Groot
    Karin Bos
    Lotte Vos
    Maarten Peters
    Nienke Hendriks
    Olaf van Leeuwen
    Petra Dekker
    Quinten Brouwer
    Roos de Wit
    Sander Dijkstra
    Tessa Smits
    Ufuk Yilmaz
    Vera de Graaf
    Willem van der Meer
    Yara El Amrani
    Zoë van den Berg
    Fatima Bouzid
    Jan-Willem Kok
    Marloes Verhoeven
    Thijs Koster
    Noor Prins
""".strip().splitlines()
)

OUTSIDE_KINDS: tuple[str, ...] = tuple(
    """
    tool platform onderzoek bijeenkomst handreiking video
""".split()
)

OUTSIDE_HOSTS: tuple[str, ...] = tuple(
    """
    https://www.example.org https://example.com https://leren.example.net
    https://onderzoek.example.org https://tools.example.com
""".split()
)
