#include "web/api_routes.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <vector>

#include "core/time_text.h"
#include "store/job_json.h"
#include "store/job_money.h"
#include "store/job_repository.h"
#include "store/job_submission.h"
#include "store/order_json.h"
#include "store/order_repository.h"
#include "store/service_repository.h"
#include "web/api_auth.h"
#include "web/api_requests.h"
#include "web/api_response.h"
#include "web/connection_pool.h"
#include "web/http_parse.h"
#include "web/order_download.h"

namespace imeiflow::web {
namespace {

using nlohmann::json;

// What every handler shares; lives as long as the server's handlers.
struct ApiState {
  explicit ApiState(const ApiContext& c) : ctx(c), pool(*c.connections) {}
  const ApiContext ctx;
  ConnectionPool& pool;  // the server's one pool
};

// One authenticated request.
struct ApiCall {
  const ApiContext& ctx;
  const HttpRequest& req;
  store::Database& db;
  ApiCaller caller;
  int64_t now_ms;
};

using ApiHandler = std::function<void(ApiCall&, HttpResponse&)>;

// One route of the API: method and path pattern, for 405 answers.
struct RouteSpec {
  const char* method;
  const char* pattern;
};

constexpr RouteSpec kRoutes[] = {
    {"POST", R"(/api/v1/jobs)"},    {"GET", R"(/api/v1/jobs/(\d+))"},
    {"GET", R"(/api/v1/orders)"},   {"POST", R"(/api/v1/orders/search)"},
    {"GET", R"(/api/v1/services)"}, {"POST", R"(/api/v1/jobs/(\d+)/cancel)"},
    {"GET", R"(/api/v1/jobs/(\d+)/sheet)"},
    {"GET", R"(/api/v1/jobs)"},
};

// The query parameters GET /api/v1/jobs/{id}/sheet takes.
constexpr std::string_view kSheetQueryParams[] = {"format"};

// A body must be JSON, said so by its Content-Type: `curl -d @body.json`
// sends a form, whose fields would not be what the caller meant.
Status CheckJsonBody(const HttpRequest& req) {
  if (req.body.empty() && req.form.empty() && req.files.empty()) return Status::Ok();
  std::string type = req.Header("Content-Type");
  std::string_view media = std::string_view(type).substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media == "application/json") return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "the body must be JSON sent with Content-Type: application/json (this one came as {}); "
      "with curl: --json @body.json, or -H 'Content-Type: application/json' --data-binary "
      "@body.json",
      media.empty() ? "no Content-Type" : std::string(media)));
}

// Authenticates, checks the role, then runs `handler`; anything thrown is
// a 500, never an HTML page.
HttpHandler Endpoint(std::shared_ptr<ApiState> state, Role need, ApiHandler handler) {
  return [state, need, handler](const HttpRequest& req, HttpResponse& res) {
    try {
      if (req.body.size() > state->ctx.max_body_bytes) {
        SendError(res, 413,
                  fmt::format("the body has {} bytes; at most {} are read", req.body.size(),
                              state->ctx.max_body_bytes));
        return;
      }
      if (Status s = CheckJsonBody(req); !s.ok()) return SendError(res, 415, s.message());
      Result<ConnectionPool::Lease> lease = state->pool.Acquire();
      if (!lease.ok()) {
        spdlog::error("web API: cannot open the database: {}", lease.status().message());
        SendError(res, 503, "the database is not available");
        return;
      }
      int64_t now = state->ctx.clock->NowMs();
      Result<ApiCaller> caller =
          AuthenticateBearer(req.Header("Authorization"), **lease, now);
      if (!caller.ok()) {
        if (caller.status().code() == StatusCode::kPermissionDenied) {
          SendError(res, 401, caller.status().message());
        } else {
          SendStatus(res, caller.status());
        }
        return;
      }
      if (!Allows(caller->role, need)) {
        SendError(res, 403,
                  fmt::format("user {} has the role {}; {} {} needs {}", caller->user_name,
                              RoleName(caller->role), req.method, req.path, RoleName(need)));
        return;
      }
      ApiCall call{state->ctx, req, **lease, std::move(*caller), now};
      handler(call, res);
    } catch (const std::exception& e) {
      spdlog::error("web API: {} {}: {}", EscapeForLog(req.method), EscapeForLog(req.path), e.what());
      SendError(res, 500, "internal error; the server log has the details");
    }
  };
}

json InvalidJson(const CheckReport& report) {
  json invalid = json::array();
  for (const InvalidEntry& e : report.invalid) {
    invalid.push_back({{"index", e.line - 1}, {"input", e.input}, {"reason", e.reason}});
  }
  return invalid;
}

// POST /api/v1/jobs: validates the IMEIs and creates the job (with
// "dry_run": answers the preview and creates nothing).
void CreateJob(ApiCall& call, HttpResponse& res) {
  Result<JobRequest> request = ParseJobRequest(call.req.body, call.ctx.max_job_imeis);
  if (!request.ok()) return SendStatus(res, request.status());
  Result<store::CachedService> service =
      store::ServiceRepository(call.db).Find(request->service_id);
  if (!service.ok()) {
    if (service.status().code() != StatusCode::kNotFound) return SendStatus(res, service.status());
    return SendError(res, 400,
                     fmt::format("service_id: no service \"{}\" in the cached catalogue (see GET "
                                 "/api/v1/services; refresh with `imeiflow services --refresh`)",
                                 request->service_id));
  }
  CheckReport report = CheckImeiList(request->imeis);
  if (report.imeis.empty()) {
    return SendJson(res, 400,
                    {{"error", fmt::format("imeis: none of the {} entries is a valid IMEI",
                                           request->imeis.size())},
                     {"invalid", InvalidJson(report)}});
  }
  store::SubmissionOptions how;
  how.batch_size = request->batch_size;
  how.recheck = request->recheck;
  how.skip_rejected = request->skip_rejected;
  how.source = "api";
  how.created_by = call.caller.user_name;
  Result<store::SubmissionPreview> preview =
      store::PreviewSubmission(call.db, *service, report, how, call.ctx.configured_cap, call.now_ms);
  if (!preview.ok()) return SendStatus(res, preview.status());
  json previewed = store::PreviewJson(*preview);
  if (request->dry_run) return SendJson(res, 200, previewed);
  Result<store::Submission> submitted =
      store::SubmitJob(call.db, *service, report, how, call.now_ms);
  if (!submitted.ok()) return SendStatus(res, submitted.status());
  json repeated = json::array();
  for (const DuplicateImei& d : report.duplicates) {
    repeated.push_back({{"index", d.line - 1}, {"first_index", d.first_line - 1}});
  }
  const store::JobSummary& job = submitted->job;
  res.SetHeader("Location", fmt::format("/api/v1/jobs/{}", job.id));
  SendJson(res, 201,
           {{"id", job.id},
            {"valid", report.imeis.size()},
            {"queued", job.counts.at(ItemState::kQueued)},
            {"already_ordered", job.counts.at(ItemState::kSkippedDuplicate)},
            {"invalid", InvalidJson(report)},
            {"repeated", repeated},
            {"rejected_before", previewed["rejected_before"]},
            {"estimated_cost", submitted->estimated_cost.ToDecimal()}});
}

// The job id of the path; none (after a 404 answer) when it is not a number.
std::optional<int64_t> PathJobId(const ApiCall& call, HttpResponse& res) {
  const std::string& text = call.req.matches[1];
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size()) {
    SendError(res, 404, fmt::format("there is no job {}", text));
    return std::nullopt;
  }
  return id;
}

// A job as GET /api/v1/jobs lists it (GET /api/v1/jobs/{id} adds elapsed_s).
json JobEntry(const store::JobSummary& job, const store::JobStanding& standing) {
  json entry = {{"id", job.id},
                {"state", store::JobStateName(job, standing.paused())},
                {"service_id", job.spec.service_id},
                {"total", job.total},
                {"counts", store::JobCountsJson(job)},
                {"results", store::JobResultsJson(standing.results)},
                {"money", store::JobMoneyJson(standing.money)},
                {"created_at", IsoUtc(job.created_at)},
                {"created_by", job.spec.created_by}};
  if (standing.paused()) entry["paused_reason"] = standing.paused_reason;
  return entry;
}

// GET /api/v1/jobs/{id}.
void GetJob(ApiCall& call, HttpResponse& res) {
  if (Status s = CheckQueryParams(call.req.query, kJobQueryParams); !s.ok()) {
    return SendStatus(res, s);
  }
  std::optional<int64_t> path_id = PathJobId(call, res);
  if (!path_id) return;
  int64_t id = *path_id;
  Result<store::JobSummary> job = store::JobRepository(call.db).Get(id);
  if (!job.ok()) return SendStatus(res, job.status());
  Result<store::JobStanding> standing =
      store::ReadJobStanding(call.db, *job, call.ctx.configured_cap, call.now_ms);
  if (!standing.ok()) return SendStatus(res, standing.status());
  json body = JobEntry(*job, *standing);
  body["elapsed_s"] = store::JobElapsedSeconds(*job, call.now_ms);
  SendJson(res, 200, body);
}

constexpr std::string_view kJobsListParams[] = {"state", "since", "until", "limit", "offset"};
constexpr std::string_view kJobStates[] = {"queued", "running", "paused",
                                           "review", "done",    "cancelled"};
constexpr int64_t kMaxJobsPage = 1000;
constexpr int64_t kDayMs = 86'400'000;

// What GET /api/v1/jobs asks for: a time range and page, and a state.
struct JobsQuery {
  store::JobListFilter filter;
  std::optional<std::string> state;
  int64_t limit = 50;
  int64_t offset = 0;
};

// The whole number `text` of parameter `name`, from `low` to `high`.
Result<int64_t> WholeParam(std::string_view name, const std::string& text, int64_t low,
                           int64_t high) {
  int64_t n = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size() || n < low || n > high) {
    return Status::InvalidArgument(
        fmt::format("{}: \"{}\" is not a whole number from {} to {}", name, text, low, high));
  }
  return n;
}

// Parses the query of GET /api/v1/jobs (unknown parameters refused).
Result<JobsQuery> ParseJobsQuery(const HttpParams& query) {
  if (Status s = CheckQueryParams(query, kJobsListParams); !s.ok()) return s;
  JobsQuery out;
  for (const auto& [name, value] : query) {
    if (name == "state") {
      if (std::find(std::begin(kJobStates), std::end(kJobStates), value) == std::end(kJobStates)) {
        return Status::InvalidArgument(fmt::format("state: \"{}\" is not a job state (one of: {})",
                                                   value, fmt::join(kJobStates, ", ")));
      }
      out.state = value;
    } else if (name == "since" || name == "until") {
      std::optional<int64_t> at = ParseIsoUtc(value);
      if (!at) {
        return Status::InvalidArgument(fmt::format(
            "{}: \"{}\" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", name, value));
      }
      // "until 2026-11-30" includes that day; a time is the exclusive end.
      if (name == "since") out.filter.since_ms = at;
      if (name == "until") out.filter.until_ms = value.size() == 10 ? *at + kDayMs : *at;
    } else {
      Result<int64_t> n = name == "limit" ? WholeParam(name, value, 1, kMaxJobsPage)
                                          : WholeParam(name, value, 0, INT64_MAX);
      if (!n.ok()) return n.status();
      (name == "limit" ? out.limit : out.offset) = *n;
    }
  }
  return out;
}

// GET /api/v1/jobs: jobs newest first, filtered and paged, with the total
// that match. A state is worked out per job (paused needs the daily cap),
// so with `state` every job of the time range is read and paged here.
void ListJobs(ApiCall& call, HttpResponse& res) {
  Result<JobsQuery> query = ParseJobsQuery(call.req.query);
  if (!query.ok()) return SendStatus(res, query.status());
  store::JobRepository repo(call.db);
  if (!query->state) {
    query->filter.limit = query->limit;
    query->filter.offset = query->offset;
  }
  Result<std::vector<store::JobSummary>> jobs = repo.Find(query->filter);
  if (!jobs.ok()) return SendStatus(res, jobs.status());
  json list = json::array();
  int64_t matched = 0;
  for (const store::JobSummary& job : *jobs) {
    Result<store::JobStanding> standing =
        store::ReadJobStanding(call.db, job, call.ctx.configured_cap, call.now_ms);
    if (!standing.ok()) return SendStatus(res, standing.status());
    if (query->state) {
      if (store::JobStateName(job, standing->paused()) != *query->state) continue;
      ++matched;
      if (matched <= query->offset || matched > query->offset + query->limit) continue;
    }
    list.push_back(JobEntry(job, *standing));
  }
  int64_t total = matched;
  if (!query->state) {
    Result<int64_t> count = repo.CountFound(query->filter);
    if (!count.ok()) return SendStatus(res, count.status());
    total = *count;
  }
  SendJson(res, 200, {{"jobs", list}, {"total", total}});
}

// POST /api/v1/jobs/{id}/cancel: cancels what no call may have applied and
// says how many items were kept, and why (audited).
void CancelJob(ApiCall& call, HttpResponse& res) {
  std::optional<int64_t> id = PathJobId(call, res);
  if (!id) return;
  Result<store::CancelResult> done =
      store::JobRepository(call.db).Cancel(*id, call.caller.user_name, call.now_ms);
  if (!done.ok()) return SendStatus(res, done.status());
  SendJson(res, 200, store::CancelResultJson(*id, *done));
}

// GET /api/v1/jobs/{id}/sheet[?format=csv|xlsx]: the uploaded sheet with
// the results appended; 404 for a job made from pasted text.
void GetJobSheet(ApiCall& call, HttpResponse& res) {
  if (Status s = CheckQueryParams(call.req.query, kSheetQueryParams); !s.ok()) {
    return SendStatus(res, s);
  }
  std::optional<int64_t> id = PathJobId(call, res);
  if (!id) return;
  auto format = call.req.query.find("format");
  Status sent = SendJobSheet(call.db, *id, format == call.req.query.end() ? "" : format->second,
                             res);
  if (!sent.ok()) SendStatus(res, sent);
}

// The orders matching `filter` (a page, and how many in all), and the IMEIs
// of its list that have none.
void SendOrders(ApiCall& call, const store::OrderFilter& filter, HttpResponse& res) {
  store::OrderRepository orders(call.db);
  Result<std::vector<store::OrderRecord>> found = orders.Find(filter);
  if (!found.ok()) return SendStatus(res, found.status());
  std::vector<std::string> not_found;
  if (!filter.imeis.empty()) {
    Result<std::vector<std::string>> missing = orders.Missing(filter.imeis);
    if (!missing.ok()) return SendStatus(res, missing.status());
    not_found = std::move(*missing);
  }
  Result<int64_t> total = orders.Count(filter);
  if (!total.ok()) return SendStatus(res, total.status());
  json list = json::array();
  for (const store::OrderRecord& o : *found) list.push_back(store::OrderJson(o));
  SendJson(res, 200, {{"orders", list}, {"total", *total}, {"not_found", not_found}});
}

// GET /api/v1/orders?imei=...&status=...
void FindOrders(ApiCall& call, HttpResponse& res) {
  Result<store::OrderFilter> filter = ParseOrdersQuery(call.req.query);
  if (!filter.ok()) return SendStatus(res, filter.status());
  SendOrders(call, *filter, res);
}

// POST /api/v1/orders/search: the same with the IMEI list in a JSON body.
void SearchOrders(ApiCall& call, HttpResponse& res) {
  Result<store::OrderFilter> filter = ParseOrdersSearch(call.req.body, call.ctx.max_job_imeis);
  if (!filter.ok()) return SendStatus(res, filter.status());
  SendOrders(call, *filter, res);
}

// GET /api/v1/services: the cached catalogue.
void ListServices(ApiCall& call, HttpResponse& res) {
  if (Status s = CheckQueryParams(call.req.query, kServicesQueryParams); !s.ok()) {
    return SendStatus(res, s);
  }
  Result<std::vector<store::CachedService>> services = store::ServiceRepository(call.db).List();
  if (!services.ok()) return SendStatus(res, services.status());
  json list = json::array();
  for (const store::CachedService& s : *services) {
    list.push_back({{"id", s.id},
                    {"title", s.title},
                    {"category", s.category},
                    {"price", s.price.ToDecimal()},
                    {"delivery", s.delivery}});
  }
  SendJson(res, 200, {{"services", list}});
}

// Answers a request no route took: 405 when the path exists for another
// method, else 404.
void NoRoute(const HttpRequest& req, HttpResponse& res) {
  std::vector<std::string> allowed;
  for (const RouteSpec& route : kRoutes) {
    if (std::regex_match(req.path, std::regex(route.pattern))) allowed.push_back(route.method);
  }
  if (allowed.empty()) {
    return SendError(res, 404, fmt::format("no such endpoint: {} {}", req.method, req.path));
  }
  res.SetHeader("Allow", fmt::format("{}", fmt::join(allowed, ", ")));
  SendError(res, 405,
            fmt::format("{} takes {}, not {}", req.path, fmt::join(allowed, ", "), req.method));
}

}  // namespace

void RegisterApiRoutes(Router& server, const ApiContext& ctx) {
  auto state = std::make_shared<ApiState>(ctx);
  server.Post(kRoutes[0].pattern, Endpoint(state, Role::kOperator, CreateJob));
  server.Get(kRoutes[1].pattern, Endpoint(state, Role::kViewer, GetJob));
  server.Get(kRoutes[2].pattern, Endpoint(state, Role::kViewer, FindOrders));
  server.Post(kRoutes[3].pattern, Endpoint(state, Role::kViewer, SearchOrders));
  server.Get(kRoutes[4].pattern, Endpoint(state, Role::kViewer, ListServices));
  server.Post(kRoutes[5].pattern, Endpoint(state, Role::kOperator, CancelJob));
  server.Get(kRoutes[6].pattern, Endpoint(state, Role::kViewer, GetJobSheet));
  server.Get(kRoutes[7].pattern, Endpoint(state, Role::kViewer, ListJobs));
  // Registered last: the router tries routes in registration order.
  server.Any(fmt::format("{}.*", kApiPrefix), NoRoute);
}

}  // namespace imeiflow::web
