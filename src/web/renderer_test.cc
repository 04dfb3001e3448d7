#include "web/renderer.h"

#include <gtest/gtest.h>

#include "web/embedded_files.h"

namespace imeiflow::web {
namespace {

using Templates = std::map<std::string, std::string, std::less<>>;

TEST(RendererTest, EscapesByDefault) {
  TemplateRenderer renderer(Templates{{"t", "<p>{{x}}</p>"}});
  TemplateData data;
  data.set("x", "<script>alert('x')</script> & \"q\"");
  Result<std::string> html = renderer.Render("t", data);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(*html, "<p>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;</p>");
}

TEST(RendererTest, MissingAndBrokenTemplatesAreErrors) {
  TemplateRenderer renderer(Templates{{"broken", "{{#open}} never closed"}});
  EXPECT_EQ(renderer.Render("absent", TemplateData()).status().code(), StatusCode::kNotFound);
  Result<std::string> broken = renderer.Render("broken", TemplateData());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("broken"), std::string::npos);
}

TEST(RendererTest, EmbeddedTemplatesParseAndOnlyTheLayoutIsUnescaped) {
  Result<TemplateRenderer> renderer = TemplateRenderer::FromEmbedded();
  ASSERT_TRUE(renderer.ok()) << renderer.status().message();
  EXPECT_TRUE(renderer->Has("layout"));
  EXPECT_TRUE(renderer->Has("login"));
  int templates = 0;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (!file.path.starts_with("templates/")) continue;
    ++templates;
    bool unescaped = file.bytes.find("{{{") != std::string_view::npos ||
                     file.bytes.find("{{&") != std::string_view::npos;
    EXPECT_EQ(unescaped, file.path == "templates/layout.mustache") << file.path;
  }
  EXPECT_GE(templates, 3);
}

TEST(RendererTest, StaticAssetsAreEmbedded) {
  ASSERT_TRUE(FindEmbeddedFile("static/app.css").has_value());
  ASSERT_TRUE(FindEmbeddedFile("static/app.js").has_value());
  EXPECT_FALSE(FindEmbeddedFile("static/none.css").has_value());
}

}  // namespace
}  // namespace imeiflow::web
