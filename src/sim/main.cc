// imeiflow-sim: a simulated GSM Fusion or DHRU supplier on a real HTTP port, for
// tests, benchmarks and demos. Prints `listening on http://HOST:PORT` once
// ready; SIGINT / SIGTERM stop it cleanly.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "core/version.h"
#include "sim/server.h"

namespace {

using imeiflow::sim::BatchMode;
using imeiflow::sim::DhruBulk;
using imeiflow::sim::DhruParameters;
using imeiflow::sim::DuplicateMode;
using imeiflow::sim::Protocol;
using imeiflow::sim::SimOptions;

// Splits "HOST:PORT" (IPv6 hosts in brackets); false when malformed.
bool ParseListen(const std::string& text, SimOptions& options) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return false;
    port = port * 10 + (c - '0');
    if (port > 65535) return false;
  }
  options.host = host;
  options.port = port;
  return true;
}

void AddOptions(CLI::App& app, SimOptions& o, std::string& listen) {
  auto probability = CLI::Range(0.0, 1.0);
  auto non_negative = CLI::NonNegativeNumber;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--user", o.user, "accepted userId")->capture_default_str();
  app.add_option("--api-key", o.api_key, "accepted apiKey (default: the demo key)");
  app.add_option("--latency-ms", o.latency_ms, "added to every API call")
      ->check(non_negative)
      ->capture_default_str();
  app.add_option("--jitter-ms", o.jitter_ms, "plus a random 0..N ms per call")
      ->check(non_negative)
      ->capture_default_str();
  app.add_option("--max-concurrent", o.max_concurrent,
                 "API calls in progress beyond N get HTTP 429 (0: no limit)")
      ->check(non_negative)
      ->capture_default_str();
  app.add_option("--threads", o.threads,
                 "server worker threads (default: max(256, max-concurrent + 64))")
      ->check(CLI::Range(1, 100000));
  app.add_option("--batch", o.batch, "multi-IMEI calls: all, or last (only the last is ordered)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, BatchMode>{{"all", BatchMode::kAll}, {"last", BatchMode::kLast}}))
      ->default_str("all");
  app.add_option("--duplicates", o.duplicates,
                 "an IMEI already ordered for the service: refuse, or charge again")
      ->transform(CLI::CheckedTransformer(std::map<std::string, DuplicateMode>{
          {"refuse", DuplicateMode::kRefuse}, {"charge", DuplicateMode::kCharge}}))
      ->default_str("refuse");
  app.add_option("--fault-500", o.faults.http500,
                 "P(HTTP 500 page) per placeorder; orders committed first half of the time")
      ->check(probability);
  app.add_option("--fault-503", o.faults.http503, "P(HTTP 503, nothing applied) per placeorder")
      ->check(probability);
  app.add_option("--fault-reset", o.faults.reset,
                 "P(orders committed, connection reset before any byte) per placeorder")
      ->check(probability);
  app.add_option("--fault-hang", o.faults.hang,
                 "P(orders committed, no answer for --hang-ms) per placeorder")
      ->check(probability);
  app.add_option("--hang-ms", o.faults.hang_ms, "how long a hanging call stays silent")
      ->check(non_negative)
      ->capture_default_str();
  app.add_option("--fault-phpxml", o.faults.phpxml, "P(answer with a <?phpxml prolog) per call")
      ->check(probability);
  app.add_option("--fault-omit", o.faults.omit,
                 "P(getimeis leaves out an order id it was asked about) per id")
      ->check(probability);
  app.add_flag("--gzip", o.gzip, "gzip answers when the request accepts gzip");
  app.add_flag("--chunked", o.chunked, "send answers with Transfer-Encoding: chunked");
  app.add_option("--process-after-ms", o.process_after_ms, "Pending -> In Process after")
      ->check(non_negative)
      ->capture_default_str();
  app.add_option("--complete-after-ms", o.complete_after_ms, "-> Completed/Rejected after")
      ->check(non_negative)
      ->capture_default_str();
  app.add_option("--reject-ratio", o.reject_ratio, "share of orders that end Rejected")
      ->check(probability)
      ->capture_default_str();
  app.add_flag("--numeric-status", o.numeric_status, "getimeis status as ids 1/4/2/3");
  app.add_option("--services", o.services_file, "JSON catalogue replacing the built-in one")
      ->check(CLI::ExistingFile);
  app.add_option("--ledger", o.ledger_file, "append every charged order to this CSV file");
  app.add_option("--seed", o.seed, "seed of every random decision")->capture_default_str();
  app.add_option("--fault-html", o.faults.html,
                 "P(HTML error page, HTTP 200) per call; placements committed first half of the time")
      ->check(probability);
  app.add_option("--protocol", o.protocol, "wire protocol: gsmfusion, or dhru (/api/index.php)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, Protocol>{
          {"gsmfusion", Protocol::kGsmFusion}, {"dhru", Protocol::kDhru}}))
      ->default_str("gsmfusion");
  app.add_option("--dhru-parameters", o.dhru.parameters,
                 "DHRU `parameters` encodings accepted: base64 (JSON), xml, or any")
      ->transform(CLI::CheckedTransformer(std::map<std::string, DhruParameters>{
          {"any", DhruParameters::kAny},
          {"base64", DhruParameters::kBase64},
          {"xml", DhruParameters::kXml}}))
      ->default_str("any");
  app.add_option("--dhru-account-key", o.dhru.account_key,
                 "accountinfo's key: AccoutInfo (V6.1 typo) or AccountInfo")
      ->check(CLI::IsMember({"AccoutInfo", "AccountInfo"}))
      ->capture_default_str();
  app.add_option("--dhru-ids", o.dhru.numeric_ids, "ids and prices as JSON string or number")
      ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"string", false},
                                                                     {"number", true}}))
      ->default_str("string");
  app.add_option("--dhru-lists", o.dhru.list_arrays,
                 "service groups and services as object (keyed by id) or array")
      ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"object", false},
                                                                     {"array", true}}))
      ->default_str("object");
  app.add_option("--dhru-bulk", o.dhru.bulk,
                 "placeimeiorderbulk: off (Invalid Action), rows or keyed answer shape")
      ->transform(CLI::CheckedTransformer(std::map<std::string, DhruBulk>{
          {"off", DhruBulk::kOff}, {"rows", DhruBulk::kRows}, {"keyed", DhruBulk::kKeyed}}))
      ->default_str("rows");
  app.add_option("--dhru-bulk-drop", o.dhru.bulk_drop,
                 "P(a placeimeiorderbulk row is left out: not ordered, not answered)")
      ->check(probability);
  app.add_option("--dhru-status", o.dhru.numeric_status, "STATUS as JSON number or string")
      ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"number", true},
                                                                     {"string", false}}))
      ->default_str("number");
  app.add_option("--dhru-errors", o.dhru.errors_4xx,
                 "ERROR answers with HTTP 200, or 4xx (400; 401 auth; 402 credits)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"200", false},
                                                                     {"4xx", true}}))
      ->default_str("200");
  app.add_option_function<std::string>(
         "--balance",
         [&o](const std::string& text) {
           auto amount = imeiflow::Money::Parse(text);
           if (!amount.ok()) throw CLI::ValidationError("--balance", amount.status().message());
           o.balance = *amount;
         },
         "starting credit (default: unlimited); POST /sim/credit amount=N adds to it");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"imeiflow-sim: a simulated GSM Fusion or DHRU supplier"};
  SimOptions options;
  std::string listen = "127.0.0.1:8081";
  AddOptions(app, options, listen);
  app.set_version_flag("--version", imeiflow::VersionLine("imeiflow-sim"));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (!ParseListen(listen, options)) {
    std::fprintf(stderr, "imeiflow-sim: --listen: expected HOST:PORT, got \"%s\"\n",
                 listen.c_str());
    return 2;
  }

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto server = imeiflow::sim::SimServer::Create(options);
  if (!server.ok()) {
    std::fprintf(stderr, "imeiflow-sim: %s\n", server.status().message().c_str());
    return server.status().code() == imeiflow::StatusCode::kInvalidArgument ? 2 : 1;
  }
  imeiflow::Status started = (*server)->Start();
  if (!started.ok()) {
    std::fprintf(stderr, "imeiflow-sim: %s\n", started.message().c_str());
    return 1;
  }
  std::printf("listening on %s\n", (*server)->url().c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  (*server)->Stop();
  return 0;
}
