#include "web/import_page.h"

#include <fmt/format.h>

#include <algorithm>

#include "store/order_import.h"
#include "store/supplier_export.h"
#include "web/format.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

TemplateData FormData(PageRequest& page) {
  TemplateData data;
  data.set("csrf_token", page.session().csrf_token);
  return data;
}

void ShowImport(PageRequest& page) { page.Render("import", "Import", FormData(page)); }

void ShowFormError(PageRequest& page, const std::string& message) {
  TemplateData data = FormData(page);
  data.set("error", message);
  page.Render("import", "Import", data, 400);
}

TemplateData ErrorRows(const std::vector<store::ImportError>& errors) {
  TemplateData rows{TemplateData::type::list};
  for (const store::ImportError& e : errors) {
    TemplateData row;
    row.set("line", std::to_string(e.line));
    row.set("message", e.message);
    rows.push_back(row);
  }
  return rows;
}

void RunImport(PageRequest& page) {
  if (!page.request.HasFile("file") || page.request.File("file").content.empty()) {
    return ShowFormError(page, "Choose the supplier's export CSV (or an imeiflow CSV or XLSX export) to import.");
  }
  const FormFile& file = page.request.File("file");
  const std::string name = file.filename.empty() ? "upload" : file.filename;
  Result<store::SupplierExportFile> read = store::ReadSupplierExport(file.content);
  if (!read.ok()) {
    return ShowFormError(page, fmt::format("{}: {}", name, read.status().message()));
  }
  std::vector<store::ImportError> errors = std::move(read->errors);
  Result<store::ImportCounts> counts =
      store::OrderImporter(page.db, page.web.config.upstream.refunds_rejected)
          .Import(read->rows, page.session().user_name, "web upload " + name, page.now_ms(),
                  &errors);
  if (!counts.ok()) return page.Fail(counts.status());
  std::stable_sort(
      errors.begin(), errors.end(),
      [](const store::ImportError& a, const store::ImportError& b) { return a.line < b.line; });

  TemplateData data = FormData(page);
  data.set("file", name);
  data.set("inserted", WithThousands(counts->inserted));
  data.set("updated", WithThousands(counts->updated));
  data.set("unchanged", WithThousands(counts->unchanged));
  data.set("resolved_uncertain", WithThousands(counts->resolved_uncertain));
  data.set("resolved_unconfirmed", WithThousands(counts->resolved_unconfirmed));
  data.set("rejected", WithThousands(static_cast<int64_t>(errors.size())));
  data.set("errors", ErrorRows(errors));
  data.set("has_errors", !errors.empty());
  page.Render("import_result", "Import", data);
}

}  // namespace

void RegisterImportPage(Router& server, WebContext& web) {
  RouteGet(server, web, "/import", Role::kOperator, ShowImport);
  RoutePost(server, web, "/import", Role::kOperator, RunImport);
}

}  // namespace imeiflow::web
