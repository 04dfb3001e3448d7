#include "web/api_requests.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <tuple>

#include <map>

namespace imeiflow::web {
namespace {

TEST(ParseJobRequestTest, ReadsEveryField) {
  Result<JobRequest> r = ParseJobRequest(
      R"({"service_id": "1739", "imeis": ["a", "b"], "recheck": true, "batch_size": 5})", 10);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->service_id, "1739");
  EXPECT_EQ(r->imeis, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(r->recheck);
  EXPECT_EQ(r->batch_size, 5);
  Result<JobRequest> defaults = ParseJobRequest(R"({"service_id": "1", "imeis": ["a"]})", 10);
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->recheck);
  EXPECT_EQ(defaults->batch_size, 1);
}

TEST(ParseJobRequestTest, ErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* starts_with;
  };
  for (const Case& c : {
           Case{"", "the body is not valid JSON"},
           Case{"{\"service_id\": ", "the body is not valid JSON"},
           Case{"\"text\"", "the body must be a JSON object"},
           Case{R"({"imeis": ["a"]})", "service_id: missing"},
           Case{R"({"service_id": "", "imeis": ["a"]})", "service_id: must be"},
           Case{R"({"service_id": null, "imeis": ["a"]})", "service_id: must be"},
           Case{R"({"service_id": "1"})", "imeis: missing"},
           Case{R"({"service_id": "1", "imeis": {"a": 1}})", "imeis: must be an array"},
           Case{R"({"service_id": "1", "imeis": ["a", null]})", "imeis[1]: must be a string"},
           Case{R"({"service_id": "1", "imeis": []})", "imeis: is empty"},
           Case{R"({"service_id": "1", "imeis": ["a"], "recheck": 1})", "recheck: must be"},
           Case{R"({"service_id": "1", "imeis": ["a"], "batch_size": 0})", "batch_size: expected"},
           Case{R"({"service_id": "1", "imeis": ["a"], "batch_size": 2.5})", "batch_size:"},
           Case{R"({"service_id": "1", "imeis": ["a"], "batch_size": "5"})", "batch_size:"},
           Case{R"({"service_id": "1", "imeis": ["a"], "batch_size": 18446744073709551615})",
                "batch_size:"},
           Case{R"({"service_id": "1", "imeis": ["a"], "force": true})", "force: unknown field"},
       }) {
    Result<JobRequest> r = ParseJobRequest(c.body, 10);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.body;
    EXPECT_EQ(r.status().message().rfind(c.starts_with, 0), 0u)
        << c.body << " -> " << r.status().message();
  }
}

// Issue 11, row 10: 1e400 made nlohmann throw out_of_range (a 500).
TEST(ParseJobRequestTest, ANumberOutOfRangeIsAnErrorNamingTheField) {
  Result<JobRequest> r =
      ParseJobRequest(R"({"service_id": "1", "imeis": ["a"], "batch_size": 1e400})", 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "batch_size: expected a whole number from 1 to 100, got 1e400");
  Result<JobRequest> digits = ParseJobRequest(
      R"({"service_id": "1", "imeis": ["a"], "batch_size": 1)" + std::string(400, '0') + "}", 10);
  ASSERT_FALSE(digits.ok());
  EXPECT_EQ(digits.status().message().rfind("batch_size: expected a whole number", 0), 0u)
      << digits.status().message();
  Result<JobRequest> element = ParseJobRequest(R"({"service_id": "1", "imeis": ["a", -1e999]})", 10);
  ASSERT_FALSE(element.ok());
  EXPECT_EQ(element.status().message(), "imeis[1]: the number -1e999 is too large");
}

TEST(ParseJobRequestTest, SyntaxErrorsSayWhere) {
  Result<JobRequest> r = ParseJobRequest(R"({"service_id": "1", "imeis": ["a" "b"]})", 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "the body is not valid JSON (in imeis[1]): parse error at line 1, column 37: syntax "
            "error while parsing array - unexpected string literal; expected ']'");
}

TEST(ParseJobRequestTest, ASyntaxErrorQuotesLittleOfTheBody) {
  std::string body = R"({"service_id": "1", "imeis": [")" + std::string(100'000, '3');
  Result<JobRequest> r = ParseJobRequest(body, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.status().message().size(), 400u) << r.status().message().substr(0, 400);
  EXPECT_NE(r.status().message().find("bytes)"), std::string::npos) << r.status().message();
}

TEST(ParseJobRequestTest, TooManyImeisIsTooLarge) {
  Result<JobRequest> r = ParseJobRequest(R"({"service_id": "1", "imeis": ["a", "b", "c"]})", 2);
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(r.status().message().find("at most 2"), std::string::npos);
}

TEST(CheckImeiListTest, EachElementIsOneEntryOnItsOwnLine) {
  CheckReport r = CheckImeiList({"352099001761481", "35 209900 176148 1", "", "49015420323751",
                                 "352099001761482", "abc,def"});
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{1, 4}));
  ASSERT_EQ(r.duplicates.size(), 1u);
  EXPECT_EQ(r.duplicates[0].line, 2);
  EXPECT_EQ(r.duplicates[0].first_line, 1);
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_EQ(r.completed[0].line, 4);
  ASSERT_EQ(r.invalid.size(), 3u);
  EXPECT_EQ(r.invalid[0].line, 3);
  EXPECT_EQ(r.invalid[1].line, 5);  // wrong check digit
  EXPECT_EQ(r.invalid[2].input, "abc,def");
  for (const InvalidEntry& e : r.invalid) EXPECT_FALSE(e.reason.empty()) << e.input;
}

QueryParam Params(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ParseOrdersQueryTest, ReadsEveryFilter) {
  Result<store::OrderFilter> f =
      ParseOrdersQuery(Params({{"imei", "352099001761481, 49-015420-323751-8"},
                               {"status", "completed"},
                               {"service", "1739"},
                               {"job", "4"},
                               {"since", "2026-11-29"},
                               {"limit", "10"},
                               {"offset", "20"}}));
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  EXPECT_EQ(f->status, store::OrderStatus::kCompleted);
  EXPECT_EQ(f->service_id, "1739");
  EXPECT_EQ(f->job_id, 4);
  EXPECT_EQ(f->since_ms, 1'795'910'400'000);
  EXPECT_EQ(f->limit, 10);
  EXPECT_EQ(f->offset, 20);
  Result<store::OrderFilter> none = ParseOrdersQuery(Params({}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->imeis.empty());
  EXPECT_EQ(none->limit, 100);
}

TEST(ParseOrdersQueryTest, ErrorsNameTheParameter) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"imei", "352099001761481,12345"},
                                                        {"status", "finished"},
                                                        {"job", "0"},
                                                        {"job", "4x"},
                                                        {"limit", "10001"},
                                                        {"offset", "-1"},
                                                        {"limit", "1e400"},
                                                        {"offset", "99999999999999999999"},
                                                        {"until", "tomorrow"},
                                                        {"since", "29/11/2026"}}) {
    Result<store::OrderFilter> f = ParseOrdersQuery(Params({{name, value}}));
    ASSERT_FALSE(f.ok()) << name << "=" << value;
    EXPECT_EQ(f.status().message().rfind(name + ":", 0), 0u) << f.status().message();
  }
}

TEST(ParseOrdersSearchTest, ReadsTheListAndFiltersFromJson) {
  Result<store::OrderFilter> f = ParseOrdersSearch(
      R"({"imeis": ["352099001761481", "352099001761481"], "status": "pending", "job": 3,
          "limit": 2000})",
      10);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->imeis, (std::vector<std::string>{"352099001761481"}));
  EXPECT_EQ(f->status, store::OrderStatus::kPending);
  EXPECT_EQ(f->job_id, 3);
  EXPECT_EQ(f->limit, 2000);
  EXPECT_EQ(ParseOrdersSearch(R"({"imeis": ["352099001761481", "x"]})", 10)
                .status()
                .message()
                .rfind("imeis[1]:", 0),
            0u);
  EXPECT_EQ(ParseOrdersSearch(R"({"job": "three"})", 10).status().message().rfind("job:", 0), 0u);
  EXPECT_EQ(ParseOrdersSearch(R"({"status": 3})", 10).status().message().rfind("status:", 0), 0u);
  EXPECT_EQ(ParseOrdersSearch(R"({"imei": []})", 10).status().message().rfind("imei:", 0), 0u);
  EXPECT_EQ(ParseOrdersSearch(R"({"imeis": ["a", "b"]})", 1).status().code(),
            StatusCode::kTooLarge);
}

// Issue 11, row 10: "limit": 1e400 was a 500.
TEST(ParseOrdersSearchTest, NumbersOutOfRangeNameTheField) {
  for (const auto& [body, message] : std::vector<std::pair<std::string, std::string>>{
           {R"({"limit": 1e400})", "limit: expected a whole number from 1 to 10000, got 1e400"},
           {R"({"limit": 20.5})", "limit: expected a whole number from 1 to 10000, got 20.5"},
           {R"({"limit": 1e2})", "limit: expected a whole number from 1 to 10000, got 100.0"},
           {R"({"offset": 18446744073709551615})",
            "offset: expected a whole number of at least 0, got 18446744073709551615"},
           {R"({"job": -1e400})", "job: expected a whole number of at least 1, got -1e400"},
           {R"({"job": true})", "job: expected a whole number of at least 1, got true"},
       }) {
    Result<store::OrderFilter> f = ParseOrdersSearch(body, 10);
    ASSERT_FALSE(f.ok()) << body;
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_EQ(f.status().message(), message) << body;
  }
}

TEST(ParseOrdersQueryTest, UntilADateIncludesThatDay) {
  Result<store::OrderFilter> day = ParseOrdersQuery(Params({{"until", "2026-11-29"}}));
  ASSERT_TRUE(day.ok()) << day.status().message();
  EXPECT_EQ(day->until_ms, 1'795'910'400'000 + 86'400'000);
  Result<store::OrderFilter> time = ParseOrdersQuery(Params({{"until", "2026-11-29T12:00:00Z"}}));
  ASSERT_TRUE(time.ok()) << time.status().message();
  EXPECT_EQ(time->until_ms, 1'795'910'400'000 + 12 * 3'600'000);
  Result<store::OrderFilter> search = ParseOrdersSearch(R"({"until": "2026-11-29"})", 10);
  ASSERT_TRUE(search.ok()) << search.status().message();
  EXPECT_EQ(search->until_ms, day->until_ms);
}

HttpParams Query(std::initializer_list<std::pair<const std::string, std::string>> params) {
  return HttpParams(params);
}

TEST(ParseOrdersQueryTest, ReadsTheResultFilters) {
  Result<store::OrderFilter> f = ParseOrdersQuery(Query({{"fmi", "ON"},
                                                         {"simlock", "unlocked"},
                                                         {"blacklisted", "no"},
                                                         {"carrier", "T-Mobile"},
                                                         {"code", "invalid"}}));
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->fmi, store::FmiFilter::kOn);
  EXPECT_EQ(f->simlock, store::SimlockFilter::kUnlocked);
  EXPECT_EQ(f->blacklisted, false);
  EXPECT_EQ(f->carrier, "T-Mobile");
  EXPECT_EQ(f->code, "invalid");
  for (auto [name, value, allowed] :
       {std::tuple{"fmi", "yes", "on, off"}, std::tuple{"simlock", "on", "locked, unlocked"},
        std::tuple{"blacklisted", "true", "yes, no"}}) {
    Result<store::OrderFilter> bad = ParseOrdersQuery(Query({{name, value}}));
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(bad.status().message(),
              fmt::format("{}: \"{}\" is not one of: {}", name, value, allowed));
  }
  Result<store::OrderFilter> body = ParseOrdersSearch(R"({"fmi": "off", "carrier": "EE"})", 10);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(body->fmi, store::FmiFilter::kOff);
  EXPECT_EQ(body->carrier, "EE");
}

// Issue 11, row 11: a misspelt parameter answered 200, unfiltered.
TEST(CheckQueryParamsTest, AnUnknownParameterIsNamedWithTheAllowedOnes) {
  Result<store::OrderFilter> typo = ParseOrdersQuery(Query({{"stauts", "completed"}}));
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(typo.status().message(),
            "stauts: unknown parameter; the parameters are: imei, status, service, job, since, "
            "until, limit, offset, fmi, simlock, carrier, blacklisted, code");
  Status job = CheckQueryParams(Query({{"verbose", "1"}}), kJobQueryParams);
  EXPECT_EQ(job.message(), "verbose: unknown parameter; this endpoint takes no parameters");
  Status services = CheckQueryParams(Query({{"category", "x"}}), kServicesQueryParams);
  EXPECT_EQ(services.message().rfind("category: unknown parameter", 0), 0u);
  EXPECT_TRUE(CheckQueryParams(Query({}), kServicesQueryParams).ok());
  EXPECT_TRUE(CheckQueryParams(Query({}), kJobQueryParams).ok());
}

TEST(CheckQueryParamsTest, AFilterGivenTwiceIsRefusedButImeisMayRepeat) {
  Result<store::OrderFilter> twice =
      ParseOrdersQuery(Query({{"status", "completed"}, {"status", "rejected"}}));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(), "status: given 2 times; give it once");
  HttpParams imeis{{"imei", "352099001761481"}, {"imei", "490154203237518"}, {"limit", "5"}};
  Result<store::OrderFilter> f = ParseOrdersQuery(imeis);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  EXPECT_EQ(f->limit, 5);
}

}  // namespace
}  // namespace imeiflow::web
