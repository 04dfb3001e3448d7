#include "web/http_parse.h"

#include <gtest/gtest.h>

#include <string>

namespace imeiflow::web {
namespace {

std::string Multipart(const std::string& boundary, const std::string& parts) {
  return parts + "--" + boundary + "--\r\n";
}

std::string Part(const std::string& boundary, const std::string& disposition,
                 const std::string& content, const std::string& type = "") {
  std::string part =
      "--" + boundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n";
  if (!type.empty()) part += "Content-Type: " + type + "\r\n";
  return part + "\r\n" + content + "\r\n";
}

TEST(DecodePathTest, DecodesEscapesAndKeepsPlus) {
  Result<std::string> path = DecodePath("/jobs/a%20b+c/%C3%A9");
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(*path, "/jobs/a b+c/\xC3\xA9");
}

TEST(DecodePathTest, KeepsControlCharactersForTheApplication) {
  Result<std::string> path = DecodePath("/a%0ab");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "/a\nb");
}

TEST(DecodePathTest, RefusesNulInvalidUtf8AndMalformedEscapes) {
  EXPECT_NE(DecodePath("/a%00b").status().message().find("NUL"), std::string::npos);
  EXPECT_NE(DecodePath("/a%ffb").status().message().find("UTF-8"), std::string::npos);
  EXPECT_NE(DecodePath("/a%zz").status().message().find("malformed"), std::string::npos);
  EXPECT_FALSE(DecodePath("/a%4").ok());
  EXPECT_FALSE(DecodePath("/a%").ok());
}

TEST(ParseUrlEncodedTest, DecodesPairsPlusAndRepeats) {
  HttpParams params;
  ASSERT_TRUE(ParseUrlEncoded("a=1+2&b=%26x%3D&a=3&flag&&c=", params).ok());
  EXPECT_EQ(params.count("a"), 2u);
  EXPECT_EQ(params.find("a")->second, "1 2");
  EXPECT_EQ(params.find("b")->second, "&x=");
  EXPECT_EQ(params.find("flag")->second, "");
  EXPECT_EQ(params.find("c")->second, "");
  EXPECT_EQ(params.size(), 5u);
}

TEST(ParseUrlEncodedTest, KeepsMalformedEscapes) {
  HttpParams params;
  ASSERT_TRUE(ParseUrlEncoded("q=100%&r=%zz&s=%4", params).ok());
  EXPECT_EQ(params.find("q")->second, "100%");
  EXPECT_EQ(params.find("r")->second, "%zz");
  EXPECT_EQ(params.find("s")->second, "%4");
}

TEST(ParseUrlEncodedTest, BoundsTheNumberOfParameters) {
  std::string text;
  for (size_t i = 0; i <= kMaxHttpFields; ++i) text += "a&";
  HttpParams params;
  Status s = ParseUrlEncoded(text, params);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge);
  EXPECT_NE(s.message().find("parameters"), std::string::npos);
}

TEST(MultipartBoundaryTest, ReadsQuotedAndBareBoundaries) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data;boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; charset=utf-8; boundary=x"), "x");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"abc").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')).ok());
}

TEST(IsMediaTypeTest, IgnoresCaseAndParameters) {
  EXPECT_TRUE(IsMediaType("Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                          "application/x-www-form-urlencoded"));
  EXPECT_FALSE(IsMediaType("application/json", "application/x-www-form-urlencoded"));
}

TEST(ParseMultipartTest, SplitsFieldsAndFiles) {
  const std::string b = "----WebKitFormBoundaryX";
  const std::string body =
      "preamble\r\n" +
      Multipart(b,
                Part(b, "name=\"imei\"", "490154203237518\r\n356938035643809") +
                    Part(b, "name=\"file\"; filename=\"list.csv\"", "a,b\r\n1,2\r\n", "text/csv") +
                    Part(b, "name=\"empty\"; filename=\"\"", "", "application/octet-stream") +
                    Part(b, "name=\"blank\"", ""));
  HttpParams form;
  HttpFiles files;
  Status s = ParseMultipart(body, b, form, files);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(form.size(), 2u);
  EXPECT_EQ(form.find("imei")->second, "490154203237518\r\n356938035643809");
  EXPECT_EQ(form.find("blank")->second, "");
  ASSERT_EQ(files.size(), 2u);
  const FormFile& file = files.find("file")->second;
  EXPECT_EQ(file.filename, "list.csv");
  EXPECT_EQ(file.content_type, "text/csv");
  EXPECT_EQ(file.content, "a,b\r\n1,2\r\n");
  EXPECT_EQ(files.find("empty")->second.filename, "");
  EXPECT_EQ(files.find("empty")->second.content, "");
}

TEST(ParseMultipartTest, AcceptsABodyOpeningWithTheBoundaryAndNoEpilogueCrlf) {
  const std::string body = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--";
  HttpParams form;
  HttpFiles files;
  ASSERT_TRUE(ParseMultipart(body, "b", form, files).ok());
  EXPECT_EQ(form.find("a")->second, "x");
}

TEST(ParseMultipartTest, ReportsMalformedBodies) {
  HttpParams form;
  HttpFiles files;
  auto error = [&](const std::string& body) {
    return ParseMultipart(body, "b", form, files).message();
  };
  EXPECT_NE(error("no delimiter").find("does not hold its boundary"), std::string::npos);
  EXPECT_NE(error("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx").find("part 1"),
            std::string::npos);
  EXPECT_NE(error("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--").find("no name"),
            std::string::npos);
  EXPECT_NE(error("--b\r\nno colon\r\n\r\nx\r\n--b--").find("':'"), std::string::npos);
  EXPECT_NE(error("--bxx\r\n").find("CRLF"), std::string::npos);
  EXPECT_NE(
      error("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--").find("no Content-Disposition"),
      std::string::npos);
}

TEST(ParseRequestPartsTest, UrlEncodedBodyKeepsItsRawText) {
  HttpRequest request;
  request.headers.emplace("content-type", "application/x-www-form-urlencoded");
  ASSERT_TRUE(ParseRequestParts("/api/v1/jobs?x=1", "{\"imeis\":[1]}=", request).ok());
  EXPECT_EQ(request.path, "/api/v1/jobs");
  EXPECT_EQ(request.query.find("x")->second, "1");
  EXPECT_EQ(request.body, "{\"imeis\":[1]}=");
  EXPECT_EQ(request.form.size(), 1u);
}

TEST(ParseRequestPartsTest, OtherTypesStayRaw) {
  HttpRequest request;
  request.headers.emplace("Content-Type", "application/json");
  ASSERT_TRUE(ParseRequestParts("/api", "a=b", request).ok());
  EXPECT_EQ(request.body, "a=b");
  EXPECT_TRUE(request.form.empty());
}

TEST(ParseRequestPartsTest, MultipartBodyBecomesFieldsAndAnEmptyBody) {
  HttpRequest request;
  request.headers.emplace("Content-Type", "multipart/form-data; boundary=b");
  ASSERT_TRUE(ParseRequestParts(
                  "/", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", request)
                  .ok());
  EXPECT_EQ(request.FormField("a"), "x");
  EXPECT_TRUE(request.body.empty());
}

TEST(ParseRequestPartsTest, NamesTheBadPart) {
  HttpRequest request;
  EXPECT_NE(ParseRequestParts("/a%00", "", request).message().find("the path"), std::string::npos);
  EXPECT_EQ(request.path, "/a%00");  // what was read, for the refusal's page
}

TEST(EscapeForLogTest, EscapesControlsBackslashAndBadBytes) {
  EXPECT_EQ(EscapeForLog(std::string("/a\nb\0c\\d\x1b", 9)), "/a\\x0ab\\x00c\\x5cd\\x1b");
  EXPECT_EQ(EscapeForLog("/\xC3\xA9\xff"), "/\xC3\xA9\\xff");
}

}  // namespace
}  // namespace imeiflow::web
