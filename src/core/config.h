// Config: imeiflow's settings, loaded from a TOML file and the environment.
//
// Sources, later ones winning: built-in defaults, the TOML file (`--config`
// or IMEIFLOW_CONFIG), then IMEIFLOW_<SECTION>_<KEY> environment variables
// (e.g. IMEIFLOW_UPSTREAM_URL overrides [upstream] url). An unknown section
// or key, or a value of the wrong type or range, is an error naming the key
// (and the file line when it came from the file). Secrets (the API key) are
// never part of an error message.
// A Config is a plain value: load once, then share read-only between threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace imeiflow {

/// [upstream]: the supplier (GSM Fusion or DHRU protocol).
struct UpstreamConfig {
  std::string protocol = "gsmfusion";      ///< the supplier's API: "gsmfusion" or "dhru"
  std::string dhru_parameters = "base64";  ///< DHRU order parameters: "base64" (JSON) or "xml"
  std::string url;           ///< base URL, e.g. https://supplier.example; the API path is appended
  std::string user;          ///< the account's user name (GSM Fusion `userId`, DHRU `username`)
  std::string api_key;       ///< secret (DHRU `apiaccesskey`); prefer api_key_file
  std::string api_key_file;  ///< file holding the API key (first line, trimmed)
  int timeout_s = 60;        ///< total time allowed for one call
  int connect_timeout_s = 10;  ///< time allowed to connect
  std::string ca_file;         ///< extra CA bundle for TLS verification
  /// the supplier refuses an IMEI already ordered (design rule 5); when not
  /// set, true for gsmfusion and false for dhru
  bool refuses_duplicates = true;
  bool refunds_rejected = true;  ///< the supplier refunds an order it rejects
};

/// [log]: spdlog settings.
struct LogConfig {
  std::string level = "info";  ///< trace, debug, info, warn, error, critical or off
  std::string file;            ///< empty: standard error
};

/// [store]: the SQLite database.
struct StoreConfig {
  std::string path = "imeiflow.db";  ///< database file
};

/// [dispatch]: how submissions are sent.
struct DispatchConfig {
  int max_in_flight = 64;     ///< most calls in flight at once
  int initial_in_flight = 4;  ///< where slow start begins
  int retry_budget = 8;       ///< calls an item may join before it fails
  int grace_s = 30;           ///< how long a stop waits for calls in flight
};

/// [spending]: the spending guard.
struct SpendingConfig {
  std::string daily_cap;  ///< money per UTC day, e.g. "50.00"; empty: no cap

  /// daily_cap as money; empty when no cap is set. An error names the key.
  Result<std::optional<Money>> DailyCap() const;
};

/// [sync]: status polling (the syncer).
struct SyncConfig {
  int batch_size = 50;             ///< order ids per getimeis call
  int first_poll_s = 60;           ///< first poll this long after an order is placed
  int max_poll_interval_s = 1800;  ///< longest wait between two polls of an order
  int give_up_after_days = 30;     ///< then a non-final order is stale and no longer polled
};

/// [web]: the web application (`imeiflow serve`).
struct WebConfig {
  std::string listen = "127.0.0.1:8080";  ///< HOST:PORT the server binds
  std::string tls_cert;                   ///< PEM certificate; with tls_key, serve HTTPS
  std::string tls_key;                    ///< PEM private key of tls_cert
  int upload_limit_mb = 20;               ///< largest request body (uploads), MiB
  int session_idle_min = 60;              ///< a session ends after this long unused
  int session_max_hours = 12;             ///< and at the latest this long after login
};

/// [backup]: the backups `serve` takes by itself (store/backup_schedule.h).
struct BackupConfig {
  std::string dir;                 ///< folder of the backup files; empty: no scheduled backups
  int keep = 7;                    ///< backup files kept; older ones are removed
  std::string daily_at = "03:00";  ///< "HH:MM" UTC, when the daily backup is taken

  /// daily_at as minutes after midnight UTC. An error names the key.
  Result<int> DailyAtMinute() const;
};

/// Every setting, with its default.
struct Config {
  UpstreamConfig upstream;  ///< [upstream]
  LogConfig log;            ///< [log]
  StoreConfig store;        ///< [store]
  DispatchConfig dispatch;  ///< [dispatch]
  SpendingConfig spending;  ///< [spending]
  SyncConfig sync;          ///< [sync]
  WebConfig web;            ///< [web]
  BackupConfig backup;      ///< [backup]

  /// The API key: api_key, or the first line of api_key_file. Errors name
  /// the file, never the key.
  Result<std::string> ResolveApiKey() const;
};

/// Reads one environment variable; tests pass their own.
using GetEnv = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (std::getenv).
GetEnv ProcessEnv();

/// Lists the names of the environment variables; tests pass their own.
using EnvNames = std::function<std::vector<std::string>()>;

/// The names in the process environment (`environ`).
EnvNames ProcessEnvNames();

/// Loads the configuration. `path` empty: IMEIFLOW_CONFIG if set, else
/// defaults only; a named file that does not exist is an error. Then applies
/// IMEIFLOW_<SECTION>_<KEY> overrides read through `env`. A variable among
/// `names` that starts with IMEIFLOW_<SECTION>_ for a known section but names
/// no key of it is an error (when `env` has a value for it); other IMEIFLOW_
/// variables (IMEIFLOW_CONFIG, IMEIFLOW_DB, ...) are not config keys.
Result<Config> LoadConfig(const std::string& path, const GetEnv& env,
                          const EnvNames& names = ProcessEnvNames());

/// A short, non-reversible tag for an API key (8 hex digits of its 64-bit
/// FNV-1a hash), so logs can tell keys apart without showing them.
std::string ApiKeyFingerprint(std::string_view key);

/// "" when `level` is a level name [log] level accepts (trace, debug, info,
/// warn, error, critical, off), else what is wrong with it. Defined in logging.cc.
std::string LogLevelProblem(const std::string& level);

/// Sets up spdlog's default logger from `log`: level, and standard error or
/// the file (appended to). Errors name the key or the file. Defined in
/// logging.cc; call once at start-up, before other threads log.
Status SetUpLogging(const LogConfig& log);

}  // namespace imeiflow
