#include "web/order_pages.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <span>

#include "core/result_code.h"
#include "core/time_text.h"
#include "store/service_repository.h"
#include "store/supplier_export.h"
#include "web/cookies.h"
#include "web/format.h"
#include "web/order_download.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

constexpr int64_t kDayMs = 86'400'000;
// Pages beyond this are not offered (and keep the offset far from overflow).
constexpr int64_t kMaxPage = 1'000'000;
// Invalid entries listed on the page; the count says how many there were.
constexpr size_t kInvalidShown = 200;

// The fields of the search form.
constexpr std::array<const char*, 11> kSearchFieldNames = {
    "imei", "status", "service", "job", "since", "until",
    "fmi",  "simlock", "blacklisted", "carrier", "code"};

// The choices of the result filters that take one: value and the shop's words.
struct Choice {
  std::string_view value;
  std::string_view label;
};
constexpr std::array<Choice, 2> kFmiChoices = {{{"on", "FMI on"}, {"off", "FMI off"}}};
constexpr std::array<Choice, 2> kSimlockChoices = {
    {{"locked", "SIM-locked"}, {"unlocked", "unlocked"}}};
constexpr std::array<Choice, 2> kBlacklistedChoices = {
    {{"yes", "blacklisted"}, {"no", "clean"}}};

// The parsed fields shown as columns (when a listed row has a value), with
// their headings; the code's own IMEI repeats the order's and is left out.
struct FieldHeading {
  std::string_view name;  // as in ResultFieldColumns
  std::string_view heading;
};
constexpr std::array<FieldHeading, 10> kFieldHeadings = {{{"model", "Model"},
                                                          {"imei2", "IMEI 2"},
                                                          {"serial", "Serial"},
                                                          {"meid", "MEID"},
                                                          {"carrier", "Carrier"},
                                                          {"simlock", "SIM-lock"},
                                                          {"fmi", "FMI"},
                                                          {"gsma_status", "Blacklist (GSMA)"},
                                                          {"purchase_date", "Purchased"},
                                                          {"applecare", "AppleCare"}}};

std::string FieldOf(const SearchFields& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? "" : it->second;
}

// Records `name` = `value` in the search's fields and query, when `value` is set.
void AddParam(OrderSearch& search, const std::string& name, const std::string& value) {
  if (value.empty()) return;
  search.fields[name] = value;
  if (!search.query.empty()) search.query += '&';
  search.query += fmt::format("{}={}", name, PercentEncode(value));
}

// Reads the date field `name` ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS") into
// `into`; a day alone as `until` includes the whole day.
void ReadDate(const SearchFields& fields, const std::string& name, bool until,
              std::optional<int64_t>& into, OrderSearch& search) {
  std::string text = FieldOf(fields, name);
  if (text.empty()) return;
  std::optional<int64_t> ms = ParseIsoUtc(text);
  if (!ms) {
    search.problems.push_back(
        fmt::format("{}: \"{}\" is not a date (YYYY-MM-DD); the filter was left out", name, text));
    return;
  }
  into = until && text.size() == 10 ? *ms + kDayMs : *ms;
  AddParam(search, name, text);
}

// The title of `service_id`, or the id itself when the cache lacks it.
std::string TitleOf(const std::map<std::string, std::string>& titles,
                    const std::string& service_id) {
  auto it = titles.find(service_id);
  return it == titles.end() ? service_id : it->second;
}

// The columns a page of `rows` shows: the parsed fields some row has, and
// the rejection reason when a row has one.
struct ResultColumns {
  std::vector<FieldHeading> fields;
  bool reason = false;
};

ResultColumns ColumnsOf(const std::vector<store::ListedOrder>& rows) {
  ResultColumns columns;
  for (const FieldHeading& h : kFieldHeadings) {
    bool any = std::any_of(rows.begin(), rows.end(), [&](const store::ListedOrder& r) {
      return r.order && !ResultFieldValue(r.order->fields, h.name).empty();
    });
    if (any) columns.fields.push_back(h);
  }
  columns.reason = std::any_of(rows.begin(), rows.end(), [](const store::ListedOrder& r) {
    return r.order && !store::RejectionReason(*r.order).empty();
  });
  return columns;
}

TemplateData HeadingList(const ResultColumns& columns) {
  TemplateData list{TemplateData::type::list};
  for (const FieldHeading& h : columns.fields) list.push_back(TemplateData(std::string(h.heading)));
  if (columns.reason) list.push_back(TemplateData(std::string("Reason")));
  return list;
}

TemplateData OrderRow(const store::ListedOrder& listed, const ResultColumns& columns,
                      const std::map<std::string, std::string>& titles) {
  TemplateData row;
  row.set("imei", listed.imei);
  TemplateData cells{TemplateData::type::list};
  if (!listed.order) {  // a listed IMEI without a matching order
    row.set("no_order", true);
    row.set("blank_cells", std::to_string(columns.fields.size() + (columns.reason ? 1 : 0) + 4));
    return row;
  }
  const store::OrderRecord& o = *listed.order;
  row.set("id", std::to_string(o.id));
  row.set("service", TitleOf(titles, o.service_id));
  row.set("status", std::string(store::OrderStateText(o)));
  row.set("final", o.status == store::OrderStatus::kCompleted);
  row.set("bad", o.status == store::OrderStatus::kRejected);
  row.set("price", o.price.ToDisplay());
  row.set("placed", UtcText(o.placed_at));
  for (const FieldHeading& h : columns.fields) {
    cells.push_back(TemplateData(ResultFieldValue(o.fields, h.name)));
  }
  if (columns.reason) cells.push_back(TemplateData(store::RejectionReason(o)));
  row.set("cells", cells);
  return row;
}

TemplateData StatusOptions(std::string_view selected) {
  TemplateData list{TemplateData::type::list};
  for (store::OrderStatus s : store::kAllOrderStatuses) {
    TemplateData option;
    option.set("value", std::string(store::OrderStatusName(s)));
    option.set("label", std::string(store::OrderStatusWord(s)));
    option.set("selected", store::OrderStatusName(s) == selected);
    list.push_back(option);
  }
  return list;
}

TemplateData ChoiceOptions(std::span<const Choice> choices, std::string_view selected) {
  TemplateData list{TemplateData::type::list};
  for (const Choice& c : choices) {
    TemplateData option;
    option.set("value", std::string(c.value));
    option.set("label", std::string(c.label));
    option.set("selected", c.value == selected);
    list.push_back(option);
  }
  return list;
}

TemplateData ServiceOptions(const std::map<std::string, std::string>& titles,
                            const std::string& selected) {
  TemplateData list{TemplateData::type::list};
  for (const auto& [id, title] : titles) {
    TemplateData option;
    option.set("value", id);
    option.set("label", fmt::format("{} — {}", id, title));
    option.set("selected", id == selected);
    list.push_back(option);
  }
  return list;
}

TemplateData InvalidRows(const std::vector<InvalidEntry>& invalid) {
  TemplateData rows{TemplateData::type::list};
  for (size_t i = 0; i < invalid.size() && i < kInvalidShown; ++i) {
    TemplateData row;
    row.set("line", std::to_string(invalid[i].line));
    row.set("input", invalid[i].input);
    row.set("reason", invalid[i].reason);
    rows.push_back(row);
  }
  return rows;
}

// The form's fields, so the page shows the search it answers: the IMEI
// list as typed (or, for a saved selection, its valid IMEIs).
void SetFormValues(PageRequest& page, const OrderSearch& search,
                   const std::map<std::string, std::string>& titles, TemplateData& data) {
  std::string typed = page.Field("imei");
  data.set("imei_text", typed.empty() ? FieldOf(search.fields, "imei") : typed);
  data.set("statuses", StatusOptions(FieldOf(search.fields, "status")));
  data.set("fmi_options", ChoiceOptions(kFmiChoices, FieldOf(search.fields, "fmi")));
  data.set("simlock_options", ChoiceOptions(kSimlockChoices, FieldOf(search.fields, "simlock")));
  data.set("blacklisted_options",
           ChoiceOptions(kBlacklistedChoices, FieldOf(search.fields, "blacklisted")));
  data.set("carrier", FieldOf(search.fields, "carrier"));
  data.set("code", FieldOf(search.fields, "code"));
  data.set("services", ServiceOptions(titles, FieldOf(search.fields, "service")));
  data.set("job", FieldOf(search.fields, "job"));
  data.set("since", FieldOf(search.fields, "since"));
  data.set("until", FieldOf(search.fields, "until"));
  data.set("csrf_token", page.session().csrf_token);
}

// The selection of a request: a saved one (?selection=KEY) or the form's
// fields; a selection too long for a link is saved, and linked by its key.
Result<OrderSearch> SearchOf(PageRequest& page, SavedSelections& saved) {
  const std::string& user = page.session().user_name;
  const std::string key = page.Field("selection");
  SearchFields fields;
  if (!key.empty()) {
    std::optional<SearchFields> found = saved.Find(key, user, page.now_ms());
    if (!found) {
      return Status::NotFound(
          "This search is no longer kept (searches are kept for two hours, and not across "
          "restarts): search again.");
    }
    fields = std::move(*found);
  } else {
    for (const char* name : kSearchFieldNames) {
      std::string value = page.Field(name);
      if (!value.empty()) fields[name] = std::move(value);
    }
  }
  Result<OrderSearch> search = ReadOrderSearch(fields);
  if (!search.ok()) return search.status();
  if (!key.empty()) {
    search->query = "selection=" + key;
  } else if (search->query.size() > kMaxLinkQuery) {
    search->query = "selection=" + saved.Save(user, search->fields, page.now_ms());
  }
  return search;
}

// An unreadable list or a forgotten selection: the page says which.
void SearchFailed(PageRequest& page, const Status& status) {
  if (status.code() == StatusCode::kNotFound) {
    return page.ErrorPage(404, "Search expired", status.message());
  }
  page.ErrorPage(400, "Unreadable IMEI list", status.message());
}

// What the page says about the search itself: filters left out, entries of
// the list that are not IMEIs, and IMEIs of the list without an order.
Status SetSearchReport(const OrderSearch& search, store::OrderRepository& orders,
                       TemplateData& data) {
  TemplateData problems{TemplateData::type::list};
  for (const std::string& p : search.problems) problems.push_back(TemplateData(p));
  data.set("problems", problems);
  if (!search.invalid.empty()) {
    data.set("invalid_count", WithThousands(static_cast<int64_t>(search.invalid.size())));
    data.set("invalid", InvalidRows(search.invalid));
    data.set("invalid_cut", search.invalid.size() > kInvalidShown);
  }
  if (search.filter.imeis.empty()) return Status::Ok();
  Result<std::vector<std::string>> missing = orders.Missing(search.filter.imeis);
  if (!missing.ok()) return missing.status();
  data.set("searched", WithThousands(static_cast<int64_t>(search.filter.imeis.size())));
  if (!missing->empty()) {
    TemplateData list{TemplateData::type::list};
    for (const std::string& imei : *missing) list.push_back(TemplateData(imei));
    data.set("not_found", list);
    data.set("not_found_count", WithThousands(static_cast<int64_t>(missing->size())));
  }
  return Status::Ok();
}

// "1,234 orders, page 2 of 13" and the page's links.
void SetPaging(const OrderSearch& search, int64_t orders_total, int64_t rows_total,
               int64_t page_size, int64_t number, TemplateData& data) {
  const int64_t pages = std::max<int64_t>(1, (rows_total + page_size - 1) / page_size);
  data.set("total", fmt::format("{} {}", WithThousands(orders_total),
                                orders_total == 1 ? "order" : "orders"));
  data.set("page", WithThousands(number));
  data.set("pages", WithThousands(pages));
  std::string link = "/orders?" + search.query + (search.query.empty() ? "" : "&");
  if (number > 1) data.set("prev_href", link + "page=" + std::to_string(number - 1));
  if (number < pages) data.set("next_href", link + "page=" + std::to_string(number + 1));
}

void ShowOrders(PageRequest& page, SavedSelections& saved) {
  Result<OrderSearch> search = SearchOf(page, saved);
  if (!search.ok()) return SearchFailed(page, search.status());
  Result<std::map<std::string, std::string>> titles = store::ServiceRepository(page.db).Titles();
  if (!titles.ok()) return page.Fail(titles.status());
  const bool by_list = !search->filter.imeis.empty();
  const bool empty_list = !page.Field("imei").empty() && !by_list;
  const int64_t page_size = by_list ? kOrdersListPageSize : kOrdersPageSize;
  const int64_t number = std::min(PositiveNumber(page.Field("page")).value_or(1), kMaxPage);
  store::OrderFilter filter = search->filter;
  filter.limit = page_size;
  filter.offset = (number - 1) * page_size;
  store::OrderRepository orders(page.db);
  // A list holding no valid IMEI searches nothing (rather than everything).
  std::vector<store::ListedOrder> found;
  int64_t orders_total = 0;
  int64_t rows_total = 0;
  if (!empty_list) {
    Result<std::vector<store::ListedOrder>> rows = orders.FindListed(filter);
    Result<int64_t> matched = orders.Count(filter);
    Result<int64_t> listed = by_list ? orders.Count(filter, true) : matched;
    for (const Status& s : {rows.status(), matched.status(), listed.status()}) {
      if (!s.ok()) return page.Fail(s);
    }
    found = std::move(*rows);
    orders_total = *matched;
    rows_total = *listed;
  }

  TemplateData data;
  SetFormValues(page, *search, *titles, data);
  if (Status s = SetSearchReport(*search, orders, data); !s.ok()) return page.Fail(s);
  const ResultColumns columns = ColumnsOf(found);
  TemplateData rows{TemplateData::type::list};
  for (const store::ListedOrder& row : found) rows.push_back(OrderRow(row, columns, *titles));
  data.set("orders", rows);
  data.set("columns", HeadingList(columns));
  data.set("has_orders", !found.empty());
  SetPaging(*search, orders_total, rows_total, page_size, number, data);
  std::string selection = search->query.empty() ? "" : "?" + search->query;
  data.set("export_csv", "/orders/export.csv" + selection);
  data.set("export_csv_tools", "/orders/export-supplier.csv" + selection);
  data.set("export_xlsx", "/orders/export.xlsx" + selection);
  page.Render("orders", "Orders", data);
}

TemplateData FieldRows(const ResultFields& fields) {
  TemplateData rows{TemplateData::type::list};
  for (const ResultFieldColumn& c : ResultFieldColumns()) {
    TemplateData row;
    row.set("name", std::string(c.name));
    row.set("value", fields.*c.member);
    rows.push_back(row);
  }
  return rows;
}

void ShowOrder(PageRequest& page) {
  std::optional<int64_t> id = PositiveNumber(page.request.matches[1]);
  if (!id) return page.ErrorPage(404, "Order not found", "No such order.");
  Result<std::optional<store::OrderRecord>> order = store::OrderRepository(page.db).FindById(*id);
  if (!order.ok()) return page.Fail(order.status());
  if (!order->has_value()) {
    return page.ErrorPage(404, "Order not found", fmt::format("No order {}.", *id));
  }
  const store::OrderRecord& o = **order;
  Result<std::map<std::string, std::string>> titles = store::ServiceRepository(page.db).Titles();
  if (!titles.ok()) return page.Fail(titles.status());
  TemplateData data;
  data.set("id", std::to_string(o.id));
  data.set("imei", o.imei);
  std::string upstream_id = o.upstream_id;
  if (upstream_id.empty()) {
    upstream_id = o.job_id ? "not known yet" : "none (known from the supplier's export)";
  }
  data.set("upstream_id", upstream_id);
  data.set("service_id", o.service_id);
  data.set("service", TitleOf(*titles, o.service_id));
  data.set("status", std::string(store::OrderStateText(o)));
  data.set("supplier_status",
           std::string(store::SupplierStatusWord(store::OrderStatusName(o.status))));
  data.set("price", o.price.ToDisplay());
  data.set("placed", UtcText(o.placed_at));
  if (o.job_id) data.set("job_id", std::to_string(*o.job_id));
  if (o.stale_at) data.set("stale_at", UtcText(*o.stale_at));
  data.set("fields", FieldRows(o.fields));
  data.set("code", o.code);
  data.set("has_code", !o.code.empty());
  page.Render("order", fmt::format("Order {}", o.id), data);
}

// What an export route sends.
enum class ExportFormat { kCsvForExcel, kCsvForTools, kXlsx };

// The export routes: the selection of the query, as a download.
void ExportOrders(PageRequest& page, SavedSelections& saved, ExportFormat format) {
  Result<OrderSearch> search = SearchOf(page, saved);
  if (!search.ok()) return SearchFailed(page, search.status());
  if (!search->problems.empty()) {
    return page.ErrorPage(400, "Export not made", search->problems.front());
  }
  if (!page.Field("imei").empty() && search->filter.imeis.empty()) {
    return page.ErrorPage(400, "Export not made", "The IMEI list holds no valid IMEI.");
  }
  std::string name = fmt::format("orders-{}", IsoUtc(page.now_ms()).substr(0, 10));
  if (search->filter.job_id) name = fmt::format("job-{}-orders", *search->filter.job_id);
  store::CsvLayout layout = format == ExportFormat::kCsvForTools ? store::CsvLayout::kSupplier
                                                                 : store::CsvLayout::kExcel;
  Status sent = format == ExportFormat::kXlsx
                    ? SendOrdersXlsx(page.db, search->filter, name + ".xlsx", page.response)
                    : SendOrdersCsv(page.db, search->filter, name + ".csv", page.response, layout);
  if (!sent.ok()) page.Fail(sent);
}

}  // namespace

Result<OrderSearch> ReadOrderSearch(const SearchFields& fields) {
  OrderSearch search;
  std::string list = FieldOf(fields, "imei");
  if (!list.empty()) {
    Result<CheckReport> report = ParseImeiInput(list, "the IMEI list");
    if (!report.ok()) return report.status();
    search.filter.imeis = std::move(report->imeis);
    search.invalid = std::move(report->invalid);
    AddParam(search, "imei", fmt::format("{}", fmt::join(search.filter.imeis, "\n")));
  }
  std::string status = FieldOf(fields, "status");
  if (!status.empty()) {
    search.filter.status = store::ParseOrderStatus(status);
    if (!search.filter.status) {
      search.problems.push_back(
          fmt::format("status: \"{}\" is not a status (one of: {}); the filter was left out",
                      status, store::OrderStatusNameList()));
    } else {
      AddParam(search, "status", status);
    }
  }
  for (std::string_view name : store::kResultFilterNames) {
    std::string value = FieldOf(fields, std::string(name));
    if (value.empty()) continue;
    if (Status s = store::SetResultFilter(name, value, search.filter); !s.ok()) {
      search.problems.push_back(
          fmt::format("{}: {}; the filter was left out", name, s.message()));
    } else {
      AddParam(search, std::string(name), value);
    }
  }
  std::string service = FieldOf(fields, "service");
  if (!service.empty()) {
    search.filter.service_id = service;
    AddParam(search, "service", service);
  }
  std::string job = FieldOf(fields, "job");
  if (!job.empty()) {
    search.filter.job_id = PositiveNumber(job);
    if (!search.filter.job_id) {
      search.problems.push_back(
          fmt::format("job: \"{}\" is not a job number; the filter was left out", job));
    } else {
      AddParam(search, "job", job);
    }
  }
  ReadDate(fields, "since", false, search.filter.since_ms, search);
  ReadDate(fields, "until", true, search.filter.until_ms, search);
  return search;
}

void RegisterOrderPages(Router& server, WebContext& web) {
  auto saved = std::make_shared<SavedSelections>();
  auto show = [saved](PageRequest& page) { ShowOrders(page, *saved); };
  auto csv = [saved](PageRequest& page) { ExportOrders(page, *saved, ExportFormat::kCsvForExcel); };
  auto tools = [saved](PageRequest& page) {
    ExportOrders(page, *saved, ExportFormat::kCsvForTools);
  };
  auto xlsx = [saved](PageRequest& page) { ExportOrders(page, *saved, ExportFormat::kXlsx); };
  RouteGet(server, web, "/orders", Role::kViewer, show);
  RoutePost(server, web, "/orders", Role::kViewer, show);
  RouteGet(server, web, "/orders/export.csv", Role::kViewer, csv);
  RoutePost(server, web, "/orders/export.csv", Role::kViewer, csv);
  RouteGet(server, web, "/orders/export-supplier.csv", Role::kViewer, tools);
  RoutePost(server, web, "/orders/export-supplier.csv", Role::kViewer, tools);
  RouteGet(server, web, "/orders/export.xlsx", Role::kViewer, xlsx);
  RoutePost(server, web, "/orders/export.xlsx", Role::kViewer, xlsx);
  RouteGet(server, web, R"(/orders/(\d+))", Role::kViewer, ShowOrder);
}

}  // namespace imeiflow::web
