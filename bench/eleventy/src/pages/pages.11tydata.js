module.exports = {
  layout: "page.njk",
  eleventyComputed: { permalink: (data) => `/${data.page.fileSlug}/` },
};
