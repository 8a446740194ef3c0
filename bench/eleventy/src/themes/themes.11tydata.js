module.exports = {
  layout: "theme.njk",
  eleventyComputed: { permalink: (data) => `/themas/${data.page.fileSlug}/` },
};
