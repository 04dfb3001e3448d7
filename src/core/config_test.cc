#include "core/config.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace imeiflow {
namespace {

namespace fs = std::filesystem;
using Vars = std::map<std::string, std::string>;

GetEnv EnvFrom(Vars vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

EnvNames NamesFrom(const Vars& vars) {
  return [vars] {
    std::vector<std::string> names;
    for (const auto& [name, value] : vars) names.push_back(name);
    return names;
  };
}

Result<Config> Load(const std::string& path, const Vars& vars = {}) {
  return LoadConfig(path, EnvFrom(vars), NamesFrom(vars));
}

std::string ErrorOf(const Result<Config>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? "" : result.status().message();
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Each test gets its own directory under the system temp directory.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("imeiflow_config_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  fs::path dir_;
};

TEST_F(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  Result<Config> config = Load("");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->upstream.url, "");
  EXPECT_EQ(config->upstream.timeout_s, 60);
  EXPECT_EQ(config->upstream.connect_timeout_s, 10);
  EXPECT_TRUE(config->upstream.refuses_duplicates);
  EXPECT_TRUE(config->upstream.refunds_rejected);
  EXPECT_EQ(config->log.level, "info");
  EXPECT_EQ(config->log.file, "");
  EXPECT_EQ(config->store.path, "imeiflow.db");
}

TEST_F(ConfigTest, ProtocolAndDhruParameters) {
  Result<Config> defaults = Load("");
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->upstream.protocol, "gsmfusion");
  EXPECT_EQ(defaults->upstream.dhru_parameters, "base64");

  std::string path =
      Write("dhru.toml", "[upstream]\nprotocol = \"dhru\"\ndhru_parameters = \"xml\"\n");
  Result<Config> dhru = Load(path);
  ASSERT_TRUE(dhru.ok()) << dhru.status().message();
  EXPECT_EQ(dhru->upstream.protocol, "dhru");
  EXPECT_EQ(dhru->upstream.dhru_parameters, "xml");

  Result<Config> from_env = Load(
      "", {{"IMEIFLOW_UPSTREAM_PROTOCOL", "dhru"}, {"IMEIFLOW_UPSTREAM_DHRU_PARAMETERS", "xml"}});
  ASSERT_TRUE(from_env.ok()) << from_env.status().message();
  EXPECT_EQ(from_env->upstream.protocol, "dhru");
  EXPECT_EQ(from_env->upstream.dhru_parameters, "xml");

  std::string bad = Write("bad.toml", "[upstream]\nprotocol = \"soap\"\n");
  EXPECT_EQ(ErrorOf(Load(bad)), "config file " + bad +
                                    " line 2: [upstream] protocol: expected one of gsmfusion, "
                                    "dhru, got \"soap\"");
  EXPECT_EQ(ErrorOf(Load("", {{"IMEIFLOW_UPSTREAM_DHRU_PARAMETERS", "json"}})),
            "environment variable IMEIFLOW_UPSTREAM_DHRU_PARAMETERS: expected one of base64, "
            "xml, got \"json\"");
}

TEST_F(ConfigTest, RefusesDuplicatesDefaultsByProtocol) {
  Result<Config> gsmfusion = Load("", {{"IMEIFLOW_UPSTREAM_PROTOCOL", "gsmfusion"}});
  ASSERT_TRUE(gsmfusion.ok()) << gsmfusion.status().message();
  EXPECT_TRUE(gsmfusion->upstream.refuses_duplicates);

  Result<Config> dhru = Load("", {{"IMEIFLOW_UPSTREAM_PROTOCOL", "dhru"}});
  ASSERT_TRUE(dhru.ok()) << dhru.status().message();
  EXPECT_FALSE(dhru->upstream.refuses_duplicates);

  std::string path =
      Write("dhru.toml", "[upstream]\nprotocol = \"dhru\"\nrefuses_duplicates = true\n");
  Result<Config> set_in_file = Load(path);
  ASSERT_TRUE(set_in_file.ok()) << set_in_file.status().message();
  EXPECT_TRUE(set_in_file->upstream.refuses_duplicates);

  Result<Config> set_in_env = Load("", {{"IMEIFLOW_UPSTREAM_PROTOCOL", "dhru"},
                                        {"IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES", "true"}});
  ASSERT_TRUE(set_in_env.ok()) << set_in_env.status().message();
  EXPECT_TRUE(set_in_env->upstream.refuses_duplicates);
}

TEST_F(ConfigTest, ReadsEveryKeyFromTheFile) {
  std::string path = Write("all.toml", R"(# supplier
[upstream]
url = "https://supplier.example"
user = "shop1"
api_key_file = "/run/secrets/key"
timeout_s = 30
connect_timeout_s = 5
ca_file = "/etc/ca.pem"
refuses_duplicates = false
refunds_rejected = false

[log]
level = "debug"
file = "/var/log/imeiflow.log"

[store]
path = "/data/imeiflow.db"
)");
  Result<Config> config = Load(path);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->upstream.url, "https://supplier.example");
  EXPECT_EQ(config->upstream.user, "shop1");
  EXPECT_EQ(config->upstream.api_key, "");
  EXPECT_EQ(config->upstream.api_key_file, "/run/secrets/key");
  EXPECT_EQ(config->upstream.timeout_s, 30);
  EXPECT_EQ(config->upstream.connect_timeout_s, 5);
  EXPECT_EQ(config->upstream.ca_file, "/etc/ca.pem");
  EXPECT_FALSE(config->upstream.refuses_duplicates);
  EXPECT_FALSE(config->upstream.refunds_rejected);
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.file, "/var/log/imeiflow.log");
  EXPECT_EQ(config->store.path, "/data/imeiflow.db");
}

TEST_F(ConfigTest, EnvironmentSetsEveryKey) {
  Result<Config> config = Load("", {{"IMEIFLOW_UPSTREAM_URL", "http://127.0.0.1:8080"},
                                    {"IMEIFLOW_UPSTREAM_USER", "u"},
                                    {"IMEIFLOW_UPSTREAM_API_KEY", "K-1"},
                                    {"IMEIFLOW_UPSTREAM_API_KEY_FILE", "/k"},
                                    {"IMEIFLOW_UPSTREAM_TIMEOUT_S", "31"},
                                    {"IMEIFLOW_UPSTREAM_CONNECT_TIMEOUT_S", "7"},
                                    {"IMEIFLOW_UPSTREAM_CA_FILE", "/ca"},
                                    {"IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES", "no"},
                                    {"IMEIFLOW_LOG_LEVEL", "warn"},
                                    {"IMEIFLOW_LOG_FILE", "/l"},
                                    {"IMEIFLOW_STORE_PATH", "/x.db"}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->upstream.url, "http://127.0.0.1:8080");
  EXPECT_EQ(config->upstream.user, "u");
  EXPECT_EQ(config->upstream.api_key, "K-1");
  EXPECT_EQ(config->upstream.api_key_file, "/k");
  EXPECT_EQ(config->upstream.timeout_s, 31);
  EXPECT_EQ(config->upstream.connect_timeout_s, 7);
  EXPECT_EQ(config->upstream.ca_file, "/ca");
  EXPECT_FALSE(config->upstream.refuses_duplicates);
  EXPECT_EQ(config->log.level, "warn");
  EXPECT_EQ(config->log.file, "/l");
  EXPECT_EQ(config->store.path, "/x.db");
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  std::string path = Write("c.toml",
                           "[upstream]\ntimeout_s = 30\nuser = \"file-user\"\nrefuses_duplicates = "
                           "false\n[log]\nlevel = \"error\"\n");
  Result<Config> config = Load(path, {{"IMEIFLOW_UPSTREAM_TIMEOUT_S", "45"},
                                      {"IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES", "TRUE"},
                                      {"IMEIFLOW_LOG_LEVEL", "debug"}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->upstream.timeout_s, 45);
  EXPECT_TRUE(config->upstream.refuses_duplicates);
  EXPECT_EQ(config->upstream.user, "file-user");  // not overridden
  EXPECT_EQ(config->log.level, "debug");
}

TEST_F(ConfigTest, BooleanSpellingsInEnvironment) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, bool>>{{"true", true},
                                                                                {"1", true},
                                                                                {"yes", true},
                                                                                {"false", false},
                                                                                {"0", false},
                                                                                {"No", false}}) {
    Result<Config> config = Load("", {{"IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES", text}});
    ASSERT_TRUE(config.ok()) << text;
    EXPECT_EQ(config->upstream.refuses_duplicates, expected) << text;
  }
}

TEST_F(ConfigTest, PathFromImeiflowConfig) {
  std::string path = Write("env.toml", "[store]\npath = \"/from/env.db\"\n");
  Result<Config> config = Load("", {{"IMEIFLOW_CONFIG", path}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->store.path, "/from/env.db");
  // An explicit path wins over IMEIFLOW_CONFIG.
  std::string other = Write("other.toml", "[store]\npath = \"/explicit.db\"\n");
  config = Load(other, {{"IMEIFLOW_CONFIG", path}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->store.path, "/explicit.db");
}

TEST_F(ConfigTest, MissingFileIsAnErrorNamingIt) {
  std::string missing = (dir_ / "missing.toml").string();
  EXPECT_EQ(ErrorOf(Load(missing)), "config file " + missing + ": does not exist");
  EXPECT_EQ(ErrorOf(Load("", {{"IMEIFLOW_CONFIG", missing}})),
            "config file " + missing + " (from IMEIFLOW_CONFIG): does not exist");
}

TEST_F(ConfigTest, FileErrorsNameTheLineAndKey) {
  struct Case {
    std::string toml;
    std::string error;  // after "config file <path> "
  };
  const std::vector<Case> cases = {
      {"[upstream]\nurl = \"x\"\nuser = \"u\"\ntimeout_s = \"abc\"\n",
       "line 4: [upstream] timeout_s: expected a positive integer, got \"abc\""},
      {"[upstream]\nconnect_timeout_s = 0\n",
       "line 2: [upstream] connect_timeout_s: expected a positive integer, got 0"},
      {"[upstream]\ntimeout_s = 3000000000\n",
       "line 2: [upstream] timeout_s: expected a whole number from 1 to 3600, got 3000000000"},
      {"[upstream]\ntimeout_s = 86400\n",
       "line 2: [upstream] timeout_s: expected a whole number from 1 to 3600, got 86400"},
      {"[upstream]\ntimeout_s = 1.5\n",
       "line 2: [upstream] timeout_s: expected a positive integer, got 1.5"},
      {"[upstream]\nurl = 5\n", "line 2: [upstream] url: expected a string, got 5"},
      {"[upstream]\nrefuses_duplicates = \"yes\"\n",
       "line 2: [upstream] refuses_duplicates: expected true or false, got \"yes\""},
      {"[log]\nlevel = \"loud\"\n",
       "line 2: [log] level: expected one of trace, debug, info, warn, error, critical, off, got "
       "\"loud\""},
      {"[upstream]\nurl = \"x\"\n\n[telemetry]\nendpoint = \"x\"\n",
       "line 4: unknown section [telemetry]"},
      {"[upstream]\nurl = \"x\"\ntimeout = 5\n", "line 3: [upstream] timeout: unknown key"},
      {"[store]\npath = [\"a\"]\n", "line 2: [store] path: expected a string, got an array"},
      {"[upstream.extra]\nx = 1\n", "line 1: [upstream] extra: unknown key"},
      {"store = \"x\"\n", "line 1: [store] must be a section (a table)"},
      {"[upstream]\nurl = \"x\n", "line 2: the next token is not a valid string"},
  };
  for (const Case& c : cases) {
    std::string path = Write("bad.toml", c.toml);
    EXPECT_EQ(ErrorOf(Load(path)), "config file " + path + " " + c.error) << c.toml;
  }
}

TEST_F(ConfigTest, EnvironmentErrorsNameTheVariable) {
  const std::vector<std::pair<Vars, std::string>> cases = {
      {{{"IMEIFLOW_UPSTREAM_TIMEOUT_S", "abc"}},
       "environment variable IMEIFLOW_UPSTREAM_TIMEOUT_S: expected a positive integer, got "
       "\"abc\""},
      {{{"IMEIFLOW_UPSTREAM_TIMEOUT_S", "-5"}},
       "environment variable IMEIFLOW_UPSTREAM_TIMEOUT_S: expected a positive integer, got "
       "\"-5\""},
      {{{"IMEIFLOW_UPSTREAM_CONNECT_TIMEOUT_S", "10s"}},
       "environment variable IMEIFLOW_UPSTREAM_CONNECT_TIMEOUT_S: expected a positive integer, got "
       "\"10s\""},
      {{{"IMEIFLOW_UPSTREAM_TIMEOUT_S", ""}},
       "environment variable IMEIFLOW_UPSTREAM_TIMEOUT_S: expected a positive integer, got \"\""},
      {{{"IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES", "maybe"}},
       "environment variable IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES: expected true or false, got "
       "\"maybe\""},
      {{{"IMEIFLOW_LOG_LEVEL", "loud"}},
       "environment variable IMEIFLOW_LOG_LEVEL: expected one of trace, debug, info, warn, error, "
       "critical, off, got \"loud\""},
      {{{"IMEIFLOW_UPSTREAM_TIMEOUT", "5"}},
       "environment variable IMEIFLOW_UPSTREAM_TIMEOUT: unknown key \"timeout\" in [upstream]"},
      {{{"IMEIFLOW_STORE_", "x"}},
       "environment variable IMEIFLOW_STORE_: unknown key \"\" in [store]"},
  };
  for (const auto& [vars, error] : cases) EXPECT_EQ(ErrorOf(Load("", vars)), error);
}

TEST_F(ConfigTest, IgnoresImeiflowVariablesOutsideTheSections) {
  Result<Config> config = Load("", {{"IMEIFLOW_DB", "/x.db"},
                                    {"IMEIFLOW_BINARY_DIR", "/build"},
                                    {"IMEIFLOW_LOGGING_X", "1"},
                                    {"IMEIFLOW_UPSTREAMS", "1"},
                                    {"OTHER_UPSTREAM_TIMEOUT_S", "x"}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->store.path, "imeiflow.db");
}

TEST_F(ConfigTest, UnknownNameWithoutValueIsIgnored) {
  // The name list and the lookup can disagree (the variable was unset meanwhile).
  Result<Config> config = LoadConfig(
      "", EnvFrom({}), [] { return std::vector<std::string>{"IMEIFLOW_UPSTREAM_BOGUS"}; });
  EXPECT_TRUE(config.ok());
}

TEST_F(ConfigTest, ApiKeyNeverInErrors) {
  const std::string secret = "SECRET-7Q2X-9KLM";
  std::vector<std::string> errors;
  auto load_file = [&](const std::string& toml) {
    errors.push_back(ErrorOf(Load(Write("s.toml", toml))));
  };
  load_file("[upstream]\napi_key = [\"" + secret + "\"]\n");
  load_file("[upstream]\napi_key = { k = \"" + secret + "\" }\n");
  load_file("[upstream]\napi_key = \"" + secret + "\n");  // unterminated string
  load_file("[upstream]\napi_key = " + secret + "\n");    // bare word
  load_file("[upstream]\napi_key = \"" + secret + "\"\napi_key = \"" + secret + "\"\n");
  load_file("[upstream]\napi_key = \"" + secret + "\"\ntimeout_s = 0\n");
  errors.push_back(ErrorOf(
      Load("", {{"IMEIFLOW_UPSTREAM_API_KEY", secret}, {"IMEIFLOW_UPSTREAM_TIMEOUT_S", "x"}})));
  Config both;
  both.upstream.api_key = secret;
  both.upstream.api_key_file = Write("key", secret + "\n");
  errors.push_back(both.ResolveApiKey().status().message());
  ASSERT_EQ(errors.size(), 8u);
  for (const std::string& error : errors) {
    EXPECT_FALSE(error.empty());
    EXPECT_EQ(error.find("SECRET"), std::string::npos) << error;
    EXPECT_EQ(error.find("7Q2X"), std::string::npos) << error;
  }
  // The type error still says what was expected.
  EXPECT_NE(errors[0].find("[upstream] api_key: expected a string"), std::string::npos)
      << errors[0];
}

TEST_F(ConfigTest, ResolveApiKeyFromValueOrFile) {
  Config config;
  config.upstream.api_key = "AAAA-BBBB";
  EXPECT_EQ(*config.ResolveApiKey(), "AAAA-BBBB");

  Config from_file;
  from_file.upstream.api_key_file = Write("key.txt", "  CCCC-DDDD-EEEE \r\nsecond line\n");
  EXPECT_EQ(*from_file.ResolveApiKey(), "CCCC-DDDD-EEEE");

  Config no_newline;
  no_newline.upstream.api_key_file = Write("key2.txt", "FFFF");
  EXPECT_EQ(*no_newline.ResolveApiKey(), "FFFF");
}

TEST_F(ConfigTest, ResolveApiKeyErrors) {
  Config both;
  both.upstream.api_key = "A";
  both.upstream.api_key_file = "/k";
  EXPECT_EQ(both.ResolveApiKey().status().message(),
            "set only one of upstream.api_key and upstream.api_key_file");

  Config missing;
  missing.upstream.api_key_file = (dir_ / "nope.txt").string();
  Result<std::string> key = missing.ResolveApiKey();
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kIoError);
  EXPECT_NE(key.status().message().find("upstream.api_key_file " + missing.upstream.api_key_file +
                                        ": cannot read"),
            std::string::npos)
      << key.status().message();

  for (const std::string& content : {std::string(""), std::string("  \nKEY\n")}) {
    Config empty;
    empty.upstream.api_key_file = Write("empty.txt", content);
    EXPECT_EQ(empty.ResolveApiKey().status().message(),
              "upstream.api_key_file " + empty.upstream.api_key_file + ": the first line is empty");
  }

  EXPECT_FALSE(Config().ResolveApiKey().ok());
}

TEST(ApiKeyFingerprintTest, ShortStableAndDistinct) {
  std::string a = ApiKeyFingerprint("AAAA-BBBB-CCCC-DDDD-EEEE");
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_EQ(a, ApiKeyFingerprint("AAAA-BBBB-CCCC-DDDD-EEEE"));
  EXPECT_NE(a, ApiKeyFingerprint("AAAA-BBBB-CCCC-DDDD-EEEF"));
  EXPECT_EQ(ApiKeyFingerprint("").size(), 8u);
}

TEST_F(ConfigTest, LogsToFileAtConfiguredLevel) {
  LogConfig log;
  log.level = "info";
  log.file = (dir_ / "imeiflow.log").string();
  ASSERT_TRUE(SetUpLogging(log).ok());
  spdlog::debug("hidden line {}", 1);
  spdlog::info("order {} accepted", 12345);
  spdlog::default_logger()->flush();
  std::string text = ReadAll(log.file);
  EXPECT_NE(text.find("info order 12345 accepted\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("hidden line"), std::string::npos) << text;
  ASSERT_TRUE(SetUpLogging(LogConfig{}).ok());  // back to stderr; releases the file
}

TEST_F(ConfigTest, LoggingErrorsNameKeyOrFile) {
  LogConfig bad_level;
  bad_level.level = "verbose";
  Status status = SetUpLogging(bad_level);
  EXPECT_EQ(status.message(),
            "[log] level: expected one of trace, debug, info, warn, error, critical, off, got "
            "\"verbose\"");

  LogConfig bad_file;
  std::string blocker = Write("not-a-dir", "x");  // a file where a directory would be needed
  bad_file.file = blocker + "/imeiflow.log";
  status = SetUpLogging(bad_file);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_EQ(status.message().rfind("[log] file " + bad_file.file + ": cannot open", 0), 0u)
      << status.message();
}

}  // namespace
}  // namespace imeiflow

namespace imeiflow {
namespace {

TEST_F(ConfigTest, DispatchAndSpendingSections) {
  std::string path = Write("d.toml",
                           "[dispatch]\nmax_in_flight = 32\ninitial_in_flight = 2\n"
                           "retry_budget = 5\ngrace_s = 9\n[spending]\ndaily_cap = \"50.00\"\n");
  Result<Config> config = Load(path, {{"IMEIFLOW_DISPATCH_MAX_IN_FLIGHT", "48"}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->dispatch.max_in_flight, 48);
  EXPECT_EQ(config->dispatch.initial_in_flight, 2);
  EXPECT_EQ(config->dispatch.retry_budget, 5);
  EXPECT_EQ(config->dispatch.grace_s, 9);
  EXPECT_EQ(config->spending.daily_cap, "50.00");
  EXPECT_EQ(config->spending.DailyCap()->value(), Money::FromCents(5000));
  EXPECT_TRUE(Load("", {})->spending.daily_cap.empty());  // no cap by default
  EXPECT_FALSE(Load("", {})->spending.DailyCap()->has_value());

  Result<Config> bad = Load("", {{"IMEIFLOW_SPENDING_DAILY_CAP", "lots"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("IMEIFLOW_SPENDING_DAILY_CAP"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("expected an amount"), std::string::npos);
  std::string zero = Write("z.toml", "[dispatch]\nmax_in_flight = 0\n");
  EXPECT_FALSE(Load(zero).ok());
}

}  // namespace
}  // namespace imeiflow

namespace imeiflow {
namespace {

TEST_F(ConfigTest, SyncSection) {
  Result<Config> defaults = Load("", {});
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->sync.batch_size, 50);
  EXPECT_EQ(defaults->sync.first_poll_s, 60);
  EXPECT_EQ(defaults->sync.max_poll_interval_s, 1800);
  EXPECT_EQ(defaults->sync.give_up_after_days, 30);

  std::string path = Write("s.toml",
                           "[sync]\nbatch_size = 20\nfirst_poll_s = 5\n"
                           "max_poll_interval_s = 600\ngive_up_after_days = 7\n");
  Result<Config> config = Load(path, {{"IMEIFLOW_SYNC_FIRST_POLL_S", "1"}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->sync.batch_size, 20);
  EXPECT_EQ(config->sync.first_poll_s, 1);
  EXPECT_EQ(config->sync.max_poll_interval_s, 600);
  EXPECT_EQ(config->sync.give_up_after_days, 7);

  std::string zero = Write("z.toml", "[sync]\nbatch_size = 0\n");
  Result<Config> bad = Load(zero);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("batch_size"), std::string::npos) << bad.status().message();
}

TEST_F(ConfigTest, WebSection) {
  Result<Config> defaults = Load("", {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->web.listen, "127.0.0.1:8080");
  EXPECT_EQ(defaults->web.upload_limit_mb, 20);
  EXPECT_TRUE(defaults->web.tls_cert.empty());

  std::string path = Write("w.toml",
                           "[web]\nlisten = \"0.0.0.0:9000\"\ntls_cert = \"c.pem\"\n"
                           "tls_key = \"k.pem\"\nupload_limit_mb = 5\nsession_idle_min = 15\n"
                           "session_max_hours = 8\n");
  Result<Config> config = Load(path, {{"IMEIFLOW_WEB_UPLOAD_LIMIT_MB", "7"}});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->web.listen, "0.0.0.0:9000");
  EXPECT_EQ(config->web.tls_cert, "c.pem");
  EXPECT_EQ(config->web.tls_key, "k.pem");
  EXPECT_EQ(config->web.upload_limit_mb, 7);
  EXPECT_EQ(config->web.session_idle_min, 15);
  EXPECT_EQ(config->web.session_max_hours, 8);

  Result<Config> bad = Load(Write("b.toml", "[web]\nupload_limit_mb = 0\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("upload_limit_mb"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow

namespace imeiflow {
namespace {

TEST_F(ConfigTest, BackupSection) {
  Result<Config> defaults = Load("", {});
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_TRUE(defaults->backup.dir.empty());  // no scheduled backups unless asked
  EXPECT_EQ(defaults->backup.keep, 7);
  EXPECT_EQ(*defaults->backup.DailyAtMinute(), 3 * 60);

  std::string path =
      Write("b.toml", "[backup]\ndir = \"/var/backups/imeiflow\"\nkeep = 3\ndaily_at = \"23:45\"\n");
  Result<Config> config = Load(path);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->backup.dir, "/var/backups/imeiflow");
  EXPECT_EQ(config->backup.keep, 3);
  EXPECT_EQ(*config->backup.DailyAtMinute(), 23 * 60 + 45);

  std::string bad = Write("bad.toml", "[backup]\ndaily_at = \"24:00\"\n");
  EXPECT_EQ(ErrorOf(Load(bad)), "config file " + bad +
                                    " line 2: [backup] daily_at: expected a UTC time \"HH:MM\" "
                                    "such as \"03:00\", got \"24:00\"");
  Result<Config> env = Load("", {{"IMEIFLOW_BACKUP_KEEP", "0"}});
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.status().message().find("IMEIFLOW_BACKUP_KEEP"), std::string::npos)
      << env.status().message();
}

}  // namespace
}  // namespace imeiflow
