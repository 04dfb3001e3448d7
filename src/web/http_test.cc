#include "web/http.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

TEST(HttpRequestTest, ParamsFromTheBodyBeforeTheQuery) {
  HttpRequest request;
  request.query.emplace("a", "1");
  request.query.emplace("b", "from the query");
  request.form.emplace("b", "2");
  EXPECT_EQ(request.Param("a"), "1");
  EXPECT_EQ(request.Param("b"), "2");
  EXPECT_EQ(request.Param("c"), "");
}

}  // namespace
}  // namespace imeiflow::web
