// Reconciliation with the supplier's records end to end: a job against the
// real imeiflow-sim charging repeats (`--duplicates charge`, so
// `upstream.refuses_duplicates = false`) with resets and hangs, leaving items
// uncertain; the supplier's export of part of what the sim's ledger charged,
// written in the export layout from the ledger rows; `imeiflow import`,
// `review`, `review resolve` and `reconcile` as real processes; the ledger
// against the database at every step.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"
#include "store/review_repository.h"
#include "store/supplier_export.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";  // $0.08 in the simulator's catalogue

// One charge in the simulator's ledger.
struct Charge {
  std::string imei;
  int64_t placed_at = 0;  // Unix ms
  std::string price;      // "0.08"
};

// The ledger's rows (time is "seconds.millis").
std::vector<Charge> Charges(const Sim& sim) {
  std::vector<Charge> charges;
  for (const auto& row : sim.Ledger()) {
    if (row.size() < 7) continue;
    size_t dot = row[0].find('.');
    int64_t ms = std::stoll(row[0].substr(0, dot)) * 1000 + std::stoll(row[0].substr(dot + 1));
    charges.push_back(Charge{row[3], ms, row[4]});
  }
  return charges;
}

// The supplier's export of `charges`: the layout of store/supplier_export.h.
std::string ExportOf(const std::vector<Charge>& charges) {
  std::string csv;
  for (size_t i = 0; i < store::kSupplierExportColumns.size(); ++i) {
    csv += (i ? "," : "") + std::string(store::kSupplierExportColumns[i]);
  }
  csv += "\r\n";
  for (const Charge& c : charges) {
    csv += std::string(kService) + "," + c.imei + ",$" + c.price + ",Pending,,,,,,," +
           store::ExportDate(c.placed_at) + "\r\n";
  }
  return csv;
}

// The first column of every row of `sql` on the database at `path`.
std::vector<std::string> Column(const std::string& path, const std::string& sql) {
  std::vector<std::string> values;
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  if (!db.ok()) {
    ADD_FAILURE() << db.status().message();
    return values;
  }
  Result<store::Statement> st = (*db)->Prepare(sql);
  if (!st.ok()) {
    ADD_FAILURE() << sql << ": " << st.status().message();
    return values;
  }
  for (Result<bool> more = st->Step(); more.ok() && *more; more = st->Step()) {
    values.push_back(st->ColumnText(0));
  }
  return values;
}

std::set<std::string> AsSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

TEST(ReconcileAgainstSim, ImportResolvesWhatTheSupplierChargedAndReconcileAgrees) {
  Sim sim({"--fault-reset", "0.04", "--fault-hang", "0.02", "--hang-ms", "2500", "--duplicates",
           "charge", "--seed", "41"});
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  const std::string db = dir.File("t.db");
  env["IMEIFLOW_DB"] = db;
  env["IMEIFLOW_LOG_LEVEL"] = "warn";
  env["IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES"] = "false";
  env["IMEIFLOW_UPSTREAM_TIMEOUT_S"] = "1";
  {
    std::ofstream out(dir.File("imeis.txt"));
    for (int i = 0; i < 600; ++i) out << sim::NthImei(7000000 + i) << "\n";
  }
  ProcessRun submit = RunImeiflow(
      {"submit", "--yes", "--service", kService, "--wait", "--json", dir.File("imeis.txt")}, env);
  ASSERT_TRUE(submit.exit_code != 1 && submit.exit_code != 2) << submit.out << submit.err;
  ASSERT_TRUE(nlohmann::json::parse(submit.out, nullptr, false).is_object())
      << submit.out << submit.err;

  std::vector<Charge> charged = Charges(sim);
  std::set<std::string> uncertain =
      AsSet(Column(db, "SELECT imei FROM items WHERE state = 'uncertain' ORDER BY imei"));
  ASSERT_GE(uncertain.size(), 4u) << "the faults left too few items uncertain";
  std::set<std::string> charged_imeis;
  for (const Charge& c : charged) charged_imeis.insert(c.imei);
  ASSERT_EQ(charged_imeis.size(), charged.size()) << "an IMEI was charged twice";
  for (const std::string& imei : uncertain) ASSERT_TRUE(charged_imeis.count(imei)) << imei;

  // The supplier's export of part of it: every other charge.
  std::vector<Charge> part;
  std::set<std::string> part_uncertain;
  for (size_t i = 0; i < charged.size(); i += 2) {
    part.push_back(charged[i]);
    if (uncertain.count(charged[i].imei)) part_uncertain.insert(charged[i].imei);
  }
  ASSERT_FALSE(part_uncertain.empty());
  ASSERT_LT(part_uncertain.size(), uncertain.size());
  std::ofstream(dir.File("part.csv"), std::ios::binary) << ExportOf(part);
  std::ofstream(dir.File("all.csv"), std::ios::binary) << ExportOf(charged);

  std::cout << "[ figure   ] charged = " << charged.size() << ", uncertain = " << uncertain.size()
            << ", uncertain in the partial export = " << part_uncertain.size() << std::endl;

  ProcessRun import = RunImeiflow({"import", "--json", dir.File("part.csv")}, env);
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  nlohmann::json counts = nlohmann::json::parse(import.out);
  EXPECT_EQ(counts["resolved_uncertain"], part_uncertain.size()) << import.out;
  EXPECT_EQ(counts["inserted"], part_uncertain.size()) << import.out;
  std::set<std::string> resolved = AsSet(
      Column(db, "SELECT imei FROM items WHERE state = 'accepted' AND reason LIKE 'import of %'"));
  EXPECT_EQ(resolved, part_uncertain);
  EXPECT_EQ(Column(db, "SELECT count(*) FROM items WHERE state = 'accepted' AND order_id IS NULL"),
            std::vector<std::string>{"0"});
  ProcessRun again = RunImeiflow({"import", dir.File("part.csv")}, env);
  EXPECT_NE(again.out.find("0 items that needed review resolved"), std::string::npos) << again.out;

  // Review lists the rest; none of them may be resent where an order exists.
  ProcessRun review = RunImeiflow({"review", "--json"}, env);
  ASSERT_EQ(review.exit_code, 0) << review.err;
  nlohmann::json listed = nlohmann::json::parse(review.out)["items"];
  std::set<std::string> with_order = AsSet(Column(db, "SELECT DISTINCT imei FROM orders"));
  std::set<std::string> in_review;
  for (const auto& item : listed) {
    std::string imei = item["imei"];
    in_review.insert(imei);
    EXPECT_EQ(item["resend_allowed"], !with_order.count(imei)) << item.dump();
    EXPECT_EQ(item["order"].is_null(), !with_order.count(imei)) << item.dump();
  }
  std::set<std::string> rest;
  for (const std::string& imei : uncertain) {
    if (!part_uncertain.count(imei)) rest.insert(imei);
  }
  EXPECT_EQ(in_review, rest);
  ProcessRun table = RunImeiflow({"review"}, env);
  EXPECT_NE(table.out.find("ORDER HERE"), std::string::npos) << table.out;
  // The table says why in the shop's words; --json keeps the raw reason.
  for (const auto& item : listed) {
    const std::string raw = item["reason"];
    const std::string plain = store::ReviewReasonText(raw, 1);
    ASSERT_NE(plain, raw);
    EXPECT_NE(table.out.find(plain), std::string::npos) << plain << "\n" << table.out;
    EXPECT_EQ(table.out.find(raw), std::string::npos) << raw << "\n" << table.out;
  }

  // The partial file leaves orders here missing there: they differ.
  ProcessRun partial = RunImeiflow({"reconcile", "--json", dir.File("part.csv")}, env);
  EXPECT_EQ(partial.exit_code, 3) << partial.out << partial.err;
  nlohmann::json partial_report = nlohmann::json::parse(partial.out, nullptr, false);
  EXPECT_EQ(partial_report["known"]["count"], part.size()) << partial.out;
  // Missing there: the orders of the other charges; the rest awaiting review
  // have no order yet.
  EXPECT_EQ(partial_report["missing"]["count"], charged.size() - part.size() - rest.size())
      << partial.out;

  ProcessRun resolve = RunImeiflow({"review", "resolve", "--job", "1", "--as", "submitted"}, env);
  ASSERT_EQ(resolve.exit_code, 0) << resolve.out << resolve.err;

  // One order per charged IMEI, and the money the ledger charged.
  std::vector<std::string> per_imei =
      Column(db, "SELECT imei || ':' || count(*) FROM orders GROUP BY imei ORDER BY imei");
  std::vector<std::string> expected;
  for (const std::string& imei : charged_imeis) expected.push_back(imei + ":1");
  EXPECT_EQ(per_imei, expected);
  EXPECT_EQ(Column(db, "SELECT coalesce(sum(cents), 0) FROM spending"),
            std::vector<std::string>{std::to_string(8 * charged.size())});
  EXPECT_EQ(Column(db, "SELECT count(*) FROM items WHERE state = 'uncertain'"),
            std::vector<std::string>{"0"});

  ProcessRun all = RunImeiflow({"reconcile", "--json", dir.File("all.csv")}, env);
  EXPECT_EQ(all.exit_code, 0) << all.out << all.err;
  nlohmann::json report = nlohmann::json::parse(all.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << all.out;
  EXPECT_EQ(report["agree"], true);
  EXPECT_EQ(report["known"]["count"], charged.size());
  EXPECT_EQ(report["missing"]["count"], 0);
  EXPECT_EQ(report["unknown"]["count"], 0);
  EXPECT_EQ(report["needs_review"]["count"], 0);
  ProcessRun text = RunImeiflow({"reconcile", dir.File("all.csv")}, env);
  EXPECT_NE(text.out.find("The supplier's records and ours agree."), std::string::npos) << text.out;
}

}  // namespace
}  // namespace imeiflow::integration
