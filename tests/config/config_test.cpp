#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/common/source_tree.h"
#include "qujat/config/config.h"
#include "support/paths.h"

using namespace qujat;
using namespace qujat::config;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

namespace {

// A valid IIN (check digit 4); API.md's example 780111300039 fails the check.
constexpr const char* kOfficerIin = "780111300034";

// A folder holding a configuration and every file it names.
class ConfigFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("qujat-config-" + std::to_string(random()) + std::to_string(::getpid()));
    for (const char* sub : {"certs/ca", "keys", "var", "calendar", "tpl", "xsd"}) fs::create_directories(dir_ / sub);
    for (const char* file :
         {"certs/root.pem", "certs/sub.cer", "certs/list.crl", "certs/mfa.pem", "certs/tls.pem", "keys/tls.key",
          "keys/ministry.p12", "keys/ministry.pass", "keys/mfa.p12", "keys/mfa.pass", "certs/mfa-ca.pem"})
      write(file, "x");
    write("keys/token.secret", std::string(40, 's'));
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& relative, const std::string& text) const {
    std::ofstream(dir_ / relative, std::ios::binary) << text;
  }

  // The smallest configuration that loads: a store and a trust anchor.
  static std::string minimal() {
    return "[store]\nurl = \"sqlite:var/qujat.db\"\n[trust]\nanchors = [\"certs/root.pem\"]\n";
  }

  Config load(const std::string& text, const std::map<std::string, std::string>& env = {}) const {
    write("qujat.toml", text);
    return load_config(dir_ / "qujat.toml", env);
  }

  // The error a configuration gives; fails the test when it loads.
  Error error_of(const std::string& text, const std::map<std::string, std::string>& env = {}) const {
    try {
      load(text, env);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "loaded:\n" << text;
    return Error("none", "none");
  }

  fs::path dir_;
};

const char* kFull = R"(
[server]
listen = "0.0.0.0:8443"
tls_cert = "certs/tls.pem"
tls_key = "keys/tls.key"
public_url = "https://licence.example.kz/"
max_body_bytes = 1048576
header_timeout_seconds = 5
body_timeout_seconds = 90
idle_timeout_seconds = 15
threads = 4
max_connections = 200

[store]
url = "postgresql://qujat@db.example.kz:5432/qujat"
url_env = ""

[trust]
anchors = ["certs/root.pem", "certs/ca"]
intermediates = ["certs/sub.cer"]
crls = ["certs/list.crl"]
revocation = "crl-or-ocsp"

[issuer]
key = "keys/ministry.p12"
password_file = "keys/ministry.pass"
password_env = ""
body = { kk = "Индустрия комитеті", ru = "Комитет индустрии", en = "Industry Committee" }
position = { kk = "Төраға", ru = "Председатель" }
full_name = "Иванов И. И."

[officers]
"780111300034" = ["officer", "head"]
"900101400013" = ["officer"]

[mfa]
endpoint = "https://mfa.example.kz/gateway"
certificate = "certs/mfa.pem"
transport_key = "keys/mfa.p12"
transport_password_file = ""
transport_password_env = "MFA_PASSWORD"
ca_file = "certs/mfa-ca.pem"
answer = "poll"
connect_timeout_seconds = 3
timeout_seconds = 20
max_attempts = 5
backoff_initial_seconds = 4
backoff_max_seconds = 300
poll_interval_seconds = 120

[clock]
fixed = "2026-03-20T10:00:00+05:00"

[auth]
token_secret_file = "keys/token.secret"
token_ttl_seconds = 900
challenge_ttl_seconds = 120

[procedure]
calendar_dir = "calendar"
cutoff = { default = "18:00", "export-licence" = "15:30", "euc" = "17:00" }

[fees]
mrp = { "2027" = 4700, "2026" = 4325 }

[paths]
templates = "tpl"
schemas = "xsd"

[log]
level = "debug"
)";

}  // namespace

TEST_F(ConfigFolder, ReadsEveryKey) {
  const auto c = load(kFull, {{"MFA_PASSWORD", "secret"}});
  EXPECT_EQ(c.file, dir_ / "qujat.toml");

  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 8443);
  EXPECT_TRUE(c.server.https());
  EXPECT_EQ(c.server.tls_cert, dir_ / "certs/tls.pem");
  EXPECT_EQ(c.server.tls_key, dir_ / "keys/tls.key");
  EXPECT_EQ(c.server.public_url, "https://licence.example.kz");
  EXPECT_EQ(c.server.max_body_bytes, 1048576u);
  EXPECT_EQ(c.server.header_timeout, 5s);
  EXPECT_EQ(c.server.body_timeout, 90s);
  EXPECT_EQ(c.server.idle_timeout, 15s);
  EXPECT_EQ(c.server.threads, 4u);
  EXPECT_EQ(c.server.max_connections, 200u);

  EXPECT_EQ(c.store.url, "postgresql://qujat@db.example.kz:5432/qujat");
  EXPECT_EQ(c.store.url_env, "");

  EXPECT_EQ(c.trust.anchors, (std::vector<Path>{dir_ / "certs/root.pem", dir_ / "certs/ca"}));
  EXPECT_EQ(c.trust.intermediates, std::vector<Path>{dir_ / "certs/sub.cer"});
  EXPECT_EQ(c.trust.crls, std::vector<Path>{dir_ / "certs/list.crl"});
  EXPECT_EQ(c.trust.revocation, Revocation::crl_or_ocsp);

  EXPECT_EQ(c.issuer.key.key, dir_ / "keys/ministry.p12");
  EXPECT_EQ(c.issuer.key.password_file, dir_ / "keys/ministry.pass");
  EXPECT_EQ(c.issuer.key.password_env, "");
  EXPECT_EQ(c.issuer.body.at(i18n::Language::kk), "Индустрия комитеті");
  EXPECT_EQ(c.issuer.body.at(i18n::Language::ru), "Комитет индустрии");
  EXPECT_EQ(c.issuer.body.at(i18n::Language::en), "Industry Committee");
  EXPECT_EQ(c.issuer.position.at(i18n::Language::ru), "Председатель");
  EXPECT_FALSE(c.issuer.position.contains(i18n::Language::en));
  EXPECT_EQ(c.issuer.full_name, "Иванов И. И.");

  ASSERT_EQ(c.officers.size(), 2u);
  EXPECT_EQ(c.officers.at(kOfficerIin), (std::set<OfficerRole>{OfficerRole::officer, OfficerRole::head}));
  EXPECT_EQ(c.officers.at("900101400013"), std::set<OfficerRole>{OfficerRole::officer});

  EXPECT_EQ(c.mfa.endpoint, "https://mfa.example.kz/gateway");
  EXPECT_EQ(c.mfa.certificate, dir_ / "certs/mfa.pem");
  EXPECT_EQ(c.mfa.transport.key, dir_ / "keys/mfa.p12");
  EXPECT_EQ(c.mfa.transport.password_env, "MFA_PASSWORD");
  EXPECT_EQ(c.mfa.ca_file, dir_ / "certs/mfa-ca.pem");
  EXPECT_EQ(c.mfa.answer, MfaAnswer::poll);
  EXPECT_EQ(c.mfa.connect_timeout, 3s);
  EXPECT_EQ(c.mfa.timeout, 20s);
  EXPECT_EQ(c.mfa.max_attempts, 5);
  EXPECT_EQ(c.mfa.backoff_initial, 4s);
  EXPECT_EQ(c.mfa.backoff_max, 300s);
  EXPECT_EQ(c.mfa.poll_interval, 120s);

  EXPECT_EQ(c.clock.fixed, parse_instant("2026-03-20T05:00:00Z"));

  EXPECT_EQ(c.auth.token_secret_file, dir_ / "keys/token.secret");
  EXPECT_EQ(c.auth.token_ttl, 900s);
  EXPECT_EQ(c.auth.challenge_ttl, 120s);

  EXPECT_EQ(c.procedure.calendar_dir, dir_ / "calendar");
  EXPECT_EQ(c.procedure.default_cutoff, 18h);
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::export_licence), 15h + 30min);
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::euc), 17h);
  // Entries the file does not name keep their defaults.
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::import_licence), 16h);
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::iic), 18h);

  EXPECT_EQ(c.fees.mrp_for(2025), 3932);
  EXPECT_EQ(c.fees.mrp_for(2026), 4325);
  EXPECT_EQ(c.fees.mrp_for(2027), 4700);
  EXPECT_EQ(c.fees.mrp_for(2028), std::nullopt);

  EXPECT_EQ(c.paths.templates, dir_ / "tpl");
  EXPECT_EQ(c.paths.schemas, dir_ / "xsd");
  EXPECT_EQ(c.log.level, LogLevel::debug);

  EXPECT_NO_THROW(c.require_for_serve());
}

TEST_F(ConfigFolder, DefaultsFillWhatTheFileLeavesOut) {
  const auto c = load(minimal());
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_FALSE(c.server.https());
  EXPECT_EQ(c.server.public_url, "");
  EXPECT_EQ(c.server.max_body_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(c.server.header_timeout, 10s);
  EXPECT_EQ(c.server.body_timeout, 60s);
  EXPECT_EQ(c.server.idle_timeout, 30s);
  EXPECT_EQ(c.server.threads, 0u);
  EXPECT_EQ(c.server.max_connections, 1024u);
  EXPECT_EQ(c.store.url, "sqlite:" + (dir_ / "var/qujat.db").string());
  EXPECT_TRUE(c.trust.intermediates.empty());
  EXPECT_TRUE(c.trust.crls.empty());
  EXPECT_EQ(c.trust.revocation, Revocation::crl);
  EXPECT_FALSE(c.issuer.key.configured());
  EXPECT_TRUE(c.officers.empty());
  EXPECT_EQ(c.mfa.endpoint, "");
  EXPECT_EQ(c.mfa.answer, MfaAnswer::callback);
  EXPECT_EQ(c.mfa.connect_timeout, 5s);
  EXPECT_EQ(c.mfa.timeout, 30s);
  EXPECT_EQ(c.mfa.max_attempts, 8);
  EXPECT_EQ(c.mfa.backoff_initial, 2s);
  EXPECT_EQ(c.mfa.backoff_max, 600s);
  EXPECT_EQ(c.mfa.poll_interval, 60s);
  EXPECT_EQ(c.clock.fixed, std::nullopt);
  EXPECT_EQ(c.auth.token_ttl, 1800s);
  EXPECT_EQ(c.auth.challenge_ttl, 300s);
  // The seeds' cut-offs: 16:00 for seed 000's licences, 17:00 for re-export, else 18:30.
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::export_licence), 16h);
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::import_licence), 16h);
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::general_export_licence), 16h);
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::reexport_permit), 17h);
  EXPECT_EQ(c.procedure.cutoff_for(model::Kind::euc), 18h + 30min);
  // No calendar_dir: the source tree's calendar/ (a build run from the checkout).
  EXPECT_EQ(c.procedure.calendar_dir, source_tree() / "calendar");
  EXPECT_EQ(c.fees.mrp_for(2025), 3932);
  EXPECT_EQ(c.fees.mrp_for(2026), 4325);
  EXPECT_EQ(c.paths.templates, Path());
  EXPECT_EQ(c.log.level, LogLevel::info);
}

TEST_F(ConfigFolder, MfaTransportFallsBackToTheIssuerKey) {
  const auto c = load(minimal() + "[issuer]\nkey = \"keys/ministry.p12\"\npassword_env = \"ISSUER_PASSWORD\"\n",
                      {{"ISSUER_PASSWORD", "x"}});
  EXPECT_EQ(c.mfa.transport.key, dir_ / "keys/ministry.p12");
  EXPECT_EQ(c.mfa.transport.password_env, "ISSUER_PASSWORD");
}

TEST_F(ConfigFolder, NoFileIsAnError) {
  try {
    load_config(dir_ / "absent.toml", {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "config.file");
    EXPECT_THAT(e.what(), HasSubstr("no such file"));
    EXPECT_THAT(e.what(), HasSubstr("absent.toml"));
  }
  try {
    load_config(dir_ / "certs", {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "config.file");
  }
}

TEST_F(ConfigFolder, NotTomlNamesTheLine) {
  const auto e = error_of(minimal() + "[server]\nlisten = \n");
  EXPECT_EQ(e.code(), "config.syntax");
  EXPECT_THAT(e.what(), HasSubstr("qujat.toml:6:"));
  EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  EXPECT_EQ(error_of(std::string("a = \"\0\"", 7)).code(), "config.syntax");
}

TEST_F(ConfigFolder, RefusesAHugeFileUnread) {
  EXPECT_EQ(error_of(minimal() + "# " + std::string(2 * 1024 * 1024, 'x') + "\n").code(), "config.file");
}

// toml++ recurses once per segment of a dotted key and overflows the stack
// near 40,000: such a file is refused before it is parsed, and so is
// nesting deeper than toml++'s own limit.
TEST_F(ConfigFolder, RefusesKeysNestedDeepEnoughToCrashTheParser) {
  std::string deep = "x";
  for (int i = 0; i < 60000; ++i) deep += ".a";
  const auto dotted = error_of(minimal() + deep + " = 1\n");
  EXPECT_EQ(dotted.code(), "config.syntax");
  EXPECT_THAT(dotted.what(), HasSubstr("qujat.toml:5: more than 512 '.' on one line"));
  const auto header = error_of("[" + deep + "]\n");
  EXPECT_EQ(header.code(), "config.syntax");
  const auto arrays = error_of(minimal() + "[server]\nlisten = " + std::string(100000, '[') + "\n");
  EXPECT_EQ(arrays.code(), "config.syntax");
  EXPECT_THAT(arrays.what(), HasSubstr("maximum nested value depth"));
  // From the environment too: the value is then plain text, and refused by its key.
  const auto env = error_of(minimal(), {{"QUJAT_SERVER_THREADS", "1\n" + deep + " = 1"}});
  EXPECT_EQ(env.code(), "config.type");
  EXPECT_THAT(env.what(), HasSubstr("got a string \"1\\x0ax.a.a"));
  EXPECT_LT(std::string(env.what()).size(), 400u);
}

TEST_F(ConfigFolder, TyposInSectionsAndKeysDoNotPass) {
  const auto section = error_of(minimal() + "[serverr]\nlisten = \"127.0.0.1:1\"\n");
  EXPECT_EQ(section.code(), "config.unknown_section");
  EXPECT_STREQ(section.what(), "config: [serverr]: unknown section");

  const auto key = error_of("[store]\nuurl = \"sqlite:var/x.db\"\n[trust]\nanchors = [\"certs/root.pem\"]\n");
  EXPECT_EQ(key.code(), "config.unknown_key");
  EXPECT_STREQ(key.what(), "config: [store] uurl: unknown key");

  EXPECT_EQ(error_of("listen = \"x\"\n" + minimal()).code(), "config.unknown_key");
  EXPECT_EQ(error_of(minimal() + "log = \"debug\"\n").code(), "config.unknown_key");
}

// Each kind of mistake is refused with its code and a one-line message
// naming the key.
struct Mistake {
  const char* name;
  std::string toml;  // added to minimal() unless `replace`
  const char* code;
  const char* message;
  bool replace = false;
};

class ConfigMistake : public ConfigFolder, public ::testing::WithParamInterface<Mistake> {};

TEST_P(ConfigMistake, IsRefusedNamingItsKey) {
  const auto& m = GetParam();
  const auto e = error_of(m.replace ? m.toml : minimal() + m.toml, {{"SET_VAR", "x"}});
  EXPECT_EQ(e.code(), m.code);
  EXPECT_THAT(e.what(), HasSubstr(m.message));
  EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
}

INSTANTIATE_TEST_SUITE_P(
    Every, ConfigMistake,
    ::testing::Values(
        Mistake{"listen_not_host_port", "[server]\nlisten = \"abc\"\n", "config.value",
                "config: [server] listen: \"abc\" is not HOST:PORT"},
        Mistake{"listen_port_too_big", "[server]\nlisten = \"127.0.0.1:65536\"\n", "config.value",
                "[server] listen: \"127.0.0.1:65536\" is not HOST:PORT"},
        Mistake{"listen_not_string", "[server]\nlisten = 8080\n", "config.type",
                "[server] listen: expected a string, got an integer 8080"},
        Mistake{"tls_cert_alone", "[server]\ntls_cert = \"certs/tls.pem\"\n", "config.missing",
                "[server] tls_key: HTTPS needs both tls_cert and tls_key"},
        Mistake{"tls_key_missing_file", "[server]\ntls_cert = \"certs/tls.pem\"\ntls_key = \"keys/nope.key\"\n",
                "config.path", "[server] tls_key: no such file \"keys/nope.key\""},
        Mistake{"public_url_not_http", "[server]\npublic_url = \"ftp://x\"\n", "config.value",
                "[server] public_url: \"ftp://x\" is not an http:// or https:// URL"},
        Mistake{"threads_wrong_type", "[server]\nthreads = \"four\"\n", "config.type",
                "[server] threads: expected an integer, got a string \"four\""},
        Mistake{"timeout_zero", "[server]\nheader_timeout_seconds = 0\n", "config.value",
                "[server] header_timeout_seconds: 0 is out of range 1..86400"},
        Mistake{"max_body_negative", "[server]\nmax_body_bytes = -1\n", "config.value",
                "[server] max_body_bytes: -1 is out of range"},
        Mistake{"store_missing", "[trust]\nanchors = [\"certs/root.pem\"]\n", "config.missing",
                "config: [store] url: required", true},
        Mistake{"store_scheme", "[store]\nurl = \"mysql://u:pw@h/db\"\n[trust]\nanchors = [\"certs/root.pem\"]\n",
                "config.value", "[store] url: \"mysql://u:***@h/db\" is not sqlite:PATH or postgresql://", true},
        Mistake{"store_sqlite_folder",
                "[store]\nurl = \"sqlite:nowhere/q.db\"\n[trust]\nanchors = [\"certs/root.pem\"]\n", "config.path",
                "[store] url: no such folder \"nowhere\"", true},
        Mistake{"store_url_env_unset", "[store]\nurl_env = \"QUJAT_DB\"\n[trust]\nanchors = [\"certs/root.pem\"]\n",
                "config.missing", "[store] url_env: environment variable QUJAT_DB is not set", true},
        Mistake{"anchors_missing", "[store]\nurl = \"sqlite:var/q.db\"\n", "config.missing",
                "config: [trust] anchors: required", true},
        Mistake{"anchors_empty", "[store]\nurl = \"sqlite:var/q.db\"\n[trust]\nanchors = []\n", "config.missing",
                "config: [trust] anchors: required", true},
        Mistake{"anchor_no_such_file", "[store]\nurl = \"sqlite:var/q.db\"\n[trust]\nanchors = [\"certs/x.pem\"]\n",
                "config.path", "config: [trust] anchors: no such file or folder \"certs/x.pem\"", true},
        Mistake{"anchors_not_strings", "[store]\nurl = \"sqlite:var/q.db\"\n[trust]\nanchors = [1]\n", "config.type",
                "[trust] anchors: item 1: expected a string, got an integer 1", true},
        Mistake{"crl_is_a_folder",
                "[store]\nurl = \"sqlite:var/q.db\"\n[trust]\nanchors = [\"certs/root.pem\"]\ncrls = [\"certs/ca\"]\n",
                "config.path", "[trust] crls: \"certs/ca\" is a folder, not a file", true},
        Mistake{
            "revocation_unknown",
            "[store]\nurl = \"sqlite:var/q.db\"\n[trust]\nanchors = [\"certs/root.pem\"]\nrevocation = \"always\"\n",
            "config.value", "[trust] revocation: \"always\" is not one of none | crl | ocsp | crl-or-ocsp", true},
        Mistake{"issuer_key_without_password", "[issuer]\nkey = \"keys/ministry.p12\"\n", "config.missing",
                "[issuer] password_file: key needs password_file or password_env"},
        Mistake{"issuer_two_passwords",
                "[issuer]\nkey = \"keys/ministry.p12\"\npassword_file = \"keys/ministry.pass\"\npassword_env = "
                "\"SET_VAR\"\n",
                "config.value", "[issuer] password_env: give password_file or password_env, not both"},
        Mistake{"issuer_password_env_unset", "[issuer]\nkey = \"keys/ministry.p12\"\npassword_env = \"NOT_SET\"\n",
                "config.missing", "[issuer] password_env: environment variable NOT_SET is not set"},
        Mistake{"issuer_password_without_key", "[issuer]\npassword_file = \"keys/ministry.pass\"\n", "config.value",
                "[issuer] password_file: a password without key"},
        Mistake{"issuer_body_language", "[issuer]\nbody = { de = \"Komitee\" }\n", "config.value",
                "[issuer] body: \"de\" is not kk, ru or en"},
        Mistake{"issuer_body_not_table", "[issuer]\nbody = \"Комитет\"\n", "config.type",
                "[issuer] body: expected a table"},
        Mistake{"officer_bad_iin", "[officers]\n\"780111300039\" = [\"officer\"]\n", "config.value",
                "[officers] 780111300039: not a valid IIN (check_digit)"},
        Mistake{"officer_bad_role", "[officers]\n\"780111300034\" = [\"admin\"]\n", "config.value",
                "[officers] 780111300034: \"admin\" is not a role (officer | head)"},
        Mistake{"officer_no_roles", "[officers]\n\"780111300034\" = []\n", "config.value",
                "[officers] 780111300034: no roles"},
        Mistake{"mfa_endpoint", "[mfa]\nendpoint = \"127.0.0.1:9090\"\n", "config.value",
                "[mfa] endpoint: \"127.0.0.1:9090\" is not an http:// or https:// URL"},
        Mistake{"mfa_answer", "[mfa]\nanswer = \"push\"\n", "config.value",
                "[mfa] answer: \"push\" is not one of callback | poll"},
        Mistake{"mfa_backoff_order", "[mfa]\nbackoff_initial_seconds = 10\nbackoff_max_seconds = 5\n", "config.value",
                "[mfa] backoff_max_seconds: 5 is less than backoff_initial_seconds 10"},
        Mistake{"mfa_transport_password_without_key", "[mfa]\ntransport_password_env = \"SET_VAR\"\n", "config.value",
                "[mfa] transport_password_env: a password without transport_key"},
        Mistake{"clock_fixed_without_offset", "[clock]\nfixed = \"2026-03-20T10:00:00\"\n", "config.value",
                "[clock] fixed: \"2026-03-20T10:00:00\" is not a date-time with an offset"},
        Mistake{"clock_fixed_toml_local", "[clock]\nfixed = 2026-03-20T10:00:00\n", "config.value",
                "[clock] fixed: a date-time needs an offset"},
        Mistake{"token_secret_short", "[auth]\ntoken_secret_file = \"keys/ministry.pass\"\n", "config.value",
                "[auth] token_secret_file: \"keys/ministry.pass\" holds 1 bytes, at least 32 are needed"},
        Mistake{"challenge_ttl_over_five_minutes", "[auth]\nchallenge_ttl_seconds = 301\n", "config.value",
                "[auth] challenge_ttl_seconds: 301 is out of range 1..300"},
        Mistake{"calendar_dir_missing", "[procedure]\ncalendar_dir = \"kalendar\"\n", "config.path",
                "[procedure] calendar_dir: no such folder \"kalendar\""},
        Mistake{"cutoff_kind", "[procedure]\ncutoff = { \"export-licnce\" = \"16:00\" }\n", "config.value",
                "[procedure] cutoff: \"export-licnce\" is neither \"default\" nor a document kind"},
        Mistake{"cutoff_time", "[procedure]\ncutoff = { default = \"4pm\" }\n", "config.value",
                "[procedure] cutoff: \"default\": expected \"HH:MM\" (local Almaty time), got a string \"4pm\""},
        Mistake{"mrp_year", "[fees]\nmrp = { \"26\" = 4325 }\n", "config.value", "[fees] mrp: \"26\" is not a year"},
        Mistake{"mrp_value", "[fees]\nmrp = { \"2026\" = \"4325\" }\n", "config.value",
                "[fees] mrp: \"2026\": expected a positive number of tenge"},
        Mistake{"templates_missing", "[paths]\ntemplates = \"nope\"\n", "config.path",
                "[paths] templates: no such folder \"nope\""},
        Mistake{"ncalayer_not_websocket", "[web]\nncalayer_url = \"https://127.0.0.1:13579/\"\n", "config.value",
                "[web] ncalayer_url: \"https://127.0.0.1:13579/\" is not a wss:// URL"},
        Mistake{"ncalayer_plain_ws_off_loopback", "[web]\nncalayer_url = \"ws://192.0.2.7:13579/\"\n", "config.value",
                "[web] ncalayer_url: \"ws://192.0.2.7:13579/\" is ws:// on a host that is not loopback"},
        Mistake{"log_level", "[log]\nlevel = \"verbose\"\n", "config.value",
                "[log] level: \"verbose\" is not one of debug | info | warn | error"},
        Mistake{"section_not_table", "server = 1\n", "config.type", "config: [server]: expected a table", true}),
    [](const ::testing::TestParamInfo<Mistake>& info) { return std::string(info.param.name); });

TEST_F(ConfigFolder, NcaLayerIsOnTheUsersMachineUnlessTheStandInIsNamed) {
  EXPECT_EQ(load(minimal()).web.ncalayer_url, "wss://127.0.0.1:13579/");
  EXPECT_EQ(load(minimal(), {{"QUJAT_WEB_NCALAYER_URL", "ws://127.0.0.1:40123/"}}).web.ncalayer_url,
            "ws://127.0.0.1:40123/");
}

TEST_F(ConfigFolder, EnvironmentOverridesKeys) {
  const auto c = load(minimal(), {
                                     {"QUJAT_SERVER_LISTEN", "0.0.0.0:9000"},
                                     {"QUJAT_SERVER_THREADS", "4"},
                                     {"QUJAT_STORE_URL", "postgresql://qujat:pw@db/qujat"},
                                     {"QUJAT_TRUST_ANCHORS", "[\"certs/root.pem\", \"certs/ca\"]"},
                                     {"QUJAT_TRUST_INTERMEDIATES", "certs/sub.cer:certs/ca"},
                                     {"QUJAT_TRUST_CRLS", ""},
                                     {"QUJAT_CLOCK_FIXED", "2026-03-20T17:00:00+05:00"},
                                     {"QUJAT_OFFICERS_780111300034", "[\"head\"]"},
                                     {"QUJAT_PROCEDURE_CUTOFF", "{ default = \"17:30\" }"},
                                     {"QUJAT_LOG_LEVEL", "\"warn\""},
                                     {"QUJAT_MFA_ENDPOINT", "http://127.0.0.1:9090/mfa"},
                                 });
  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 9000);
  EXPECT_EQ(c.server.threads, 4u);
  EXPECT_EQ(c.store.url, "postgresql://qujat:pw@db/qujat");
  // A TOML array, and a plain list of paths split on ':'.
  EXPECT_EQ(c.trust.anchors, (std::vector<Path>{dir_ / "certs/root.pem", dir_ / "certs/ca"}));
  EXPECT_EQ(c.trust.intermediates, (std::vector<Path>{dir_ / "certs/sub.cer", dir_ / "certs/ca"}));
  EXPECT_TRUE(c.trust.crls.empty());
  // Valid TOML (a date-time), but the key wants a string: taken as written.
  EXPECT_EQ(c.clock.fixed, parse_instant("2026-03-20T12:00:00Z"));
  EXPECT_EQ(c.officers.at(kOfficerIin), std::set<OfficerRole>{OfficerRole::head});
  EXPECT_EQ(c.procedure.default_cutoff, 17h + 30min);
  EXPECT_EQ(c.log.level, LogLevel::warn);
  EXPECT_EQ(c.mfa.endpoint, "http://127.0.0.1:9090/mfa");
}

TEST_F(ConfigFolder, EnvironmentOverridesTheFileNotTheReverse) {
  const auto c = load(minimal() + "[server]\nlisten = \"127.0.0.1:1000\"\n", {{"QUJAT_SERVER_LISTEN", "[::1]:2000"}});
  EXPECT_EQ(c.server.host, "::1");
  EXPECT_EQ(c.server.port, 2000);
}

TEST_F(ConfigFolder, AnOverrideErrorNamesTheVariable) {
  const auto bad = error_of(minimal(), {{"QUJAT_SERVER_LISTEN", "abc"}});
  EXPECT_STREQ(bad.what(), "config: [server] listen (QUJAT_SERVER_LISTEN): \"abc\" is not HOST:PORT");
  const auto typo = error_of(minimal(), {{"QUJAT_SERVER_LISTN", "127.0.0.1:1"}});
  EXPECT_EQ(typo.code(), "config.unknown_key");
  EXPECT_STREQ(typo.what(), "config: [server] listn (QUJAT_SERVER_LISTN): unknown key");
  const auto type = error_of(minimal(), {{"QUJAT_SERVER_THREADS", "many"}});
  EXPECT_EQ(type.code(), "config.type");
  EXPECT_THAT(type.what(), HasSubstr("[server] threads (QUJAT_SERVER_THREADS): expected an integer"));
}

TEST_F(ConfigFolder, OtherQujatVariablesAreLeftAlone) {
  EXPECT_NO_THROW(load(minimal(), {{"QUJAT_TRUST", "/elsewhere"},
                                   {"QUJAT_SHARED_DIR", "/work/shared"},
                                   {"QUJAT_TEST_POSTGRESQL_URL", "postgresql://x"},
                                   {"QUJAT_server_listen", "abc"},
                                   {"QUJAT_", "x"},
                                   {"QUJAT_SERVER_", "x"},
                                   {"PATH", "/usr/bin"}}));
}

TEST_F(ConfigFolder, StoreUrlFromAnotherVariable) {
  const auto c = load("[store]\nurl_env = \"QUJAT_DB\"\n[trust]\nanchors = [\"certs/root.pem\"]\n",
                      {{"QUJAT_DB", "postgresql://qujat:hunter2@db/qujat"}});
  EXPECT_EQ(c.store.url, "postgresql://qujat:hunter2@db/qujat");
  EXPECT_EQ(c.store.url_env, "QUJAT_DB");
  EXPECT_THAT(c.redacted_summary(), Not(HasSubstr("hunter2")));
  EXPECT_THAT(c.redacted_summary(), HasSubstr("(from $QUJAT_DB)"));
}

TEST_F(ConfigFolder, RelativePathsResolveAgainstTheFilesFolder) {
  const auto elsewhere = fs::current_path();
  fs::current_path(fs::temp_directory_path());
  const auto c = load(minimal() + "[procedure]\ncalendar_dir = \"./calendar/../calendar\"\n");
  fs::current_path(elsewhere);
  EXPECT_EQ(c.trust.anchors.front(), dir_ / "certs/root.pem");
  EXPECT_EQ(c.store.url, "sqlite:" + (dir_ / "var/qujat.db").string());
  EXPECT_EQ(c.procedure.calendar_dir, dir_ / "calendar");

  const auto absolute =
      load("[store]\nurl = \"sqlite::memory:\"\n[trust]\nanchors = [\"" + (dir_ / "certs/root.pem").string() + "\"]\n");
  EXPECT_EQ(absolute.trust.anchors.front(), dir_ / "certs/root.pem");
  EXPECT_EQ(absolute.store.url, "sqlite::memory:");
}

TEST_F(ConfigFolder, ServeNeedsTheIssuerTheTokenSecretAndTheMfa) {
  try {
    load(minimal()).require_for_serve();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "config.missing");
    EXPECT_STREQ(e.what(), "config: [issuer] key: required for serve");
  }
  std::string text = kFull;
  text.replace(text.find("endpoint = \"https://mfa.example.kz/gateway\""), 43, "endpoint = \"\"");
  try {
    load(text, {{"MFA_PASSWORD", "x"}}).require_for_serve();
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "config: [mfa] endpoint: required for serve");
  }
}

TEST_F(ConfigFolder, SummaryShowsSettingsButNoSecret) {
  std::string text = kFull;
  text.replace(text.find("postgresql://qujat@"), 19, "postgresql://qujat:hunter2@");
  const auto c = load(text, {{"MFA_PASSWORD", "mfa-password-value"}});
  const auto summary = c.redacted_summary();
  EXPECT_THAT(summary, HasSubstr("[server] listen=0.0.0.0:8443 https=yes"));
  EXPECT_THAT(summary, HasSubstr("postgresql://qujat:***@db.example.kz:5432/qujat"));
  EXPECT_THAT(summary, HasSubstr("password_file=" + (dir_ / "keys/ministry.pass").string()));
  EXPECT_THAT(summary, HasSubstr("password_env=$MFA_PASSWORD"));
  EXPECT_THAT(summary, HasSubstr("token_secret_file=" + (dir_ / "keys/token.secret").string()));
  EXPECT_THAT(summary, HasSubstr("revocation=crl-or-ocsp"));
  EXPECT_THAT(summary, HasSubstr("fixed=2026-03-20T05:00:00Z (tests and demos only)"));
  EXPECT_THAT(summary, HasSubstr("export-licence=15:30"));
  EXPECT_THAT(summary, HasSubstr("[officers] 2 IIN(s)"));
  EXPECT_THAT(summary, Not(HasSubstr("hunter2")));
  EXPECT_THAT(summary, Not(HasSubstr("mfa-password-value")));
  EXPECT_THAT(summary, Not(HasSubstr(std::string(40, 's'))));
  EXPECT_THAT(summary, Not(HasSubstr(kOfficerIin)));
}

TEST(RedactedUrl, HidesPasswordsInEveryForm) {
  EXPECT_EQ(redacted_url("postgresql://qujat:pw@db:5432/qujat"), "postgresql://qujat:***@db:5432/qujat");
  EXPECT_EQ(redacted_url("postgresql://qujat@db/qujat?password=pw&sslmode=require"),
            "postgresql://qujat@db/qujat?password=***&sslmode=require");
  EXPECT_EQ(redacted_url("host=db password=pw dbname=q"), "host=db password=*** dbname=q");
  EXPECT_EQ(redacted_url("postgresql://db/q?sslpassword=pw"), "postgresql://db/q?sslpassword=***");
  EXPECT_EQ(redacted_url("postgresql://u:p@ss@db/q"), "postgresql://u:***@db/q");
  EXPECT_EQ(redacted_url("sqlite:/var/lib/qujat/qujat.db"), "sqlite:/var/lib/qujat/qujat.db");
  EXPECT_EQ(redacted_url("https://mfa.example.kz/path@x"), "https://mfa.example.kz/path@x");
}

TEST(EnvironmentSnapshot, SplitsAtTheFirstEquals) {
  const char* entries[] = {"QUJAT_STORE_URL=postgresql://h/db?a=b", "EMPTY=", "=nameless", "NOEQUALS", nullptr};
  const auto env = environment_snapshot(entries);
  EXPECT_EQ(env.size(), 2u);
  EXPECT_EQ(env.at("QUJAT_STORE_URL"), "postgresql://h/db?a=b");
  EXPECT_EQ(env.at("EMPTY"), "");
  EXPECT_TRUE(environment_snapshot(nullptr).empty());
}

// examples/qujat.toml is what an operator copies: it must load as written
// once the files it names exist.
TEST_F(ConfigFolder, TheExampleLoads) {
  const auto example = read_file((test::source_root() / "examples/qujat.toml").string());
  write("qujat.toml", std::string(as_chars(example)));
  fs::create_directories(dir_ / "certs/nca");
  for (const char* file : {"certs/nca/root_rsa_2020.cer", "certs/nca/root_gost_2022.cer", "certs/nca/nca_rsa_2022.cer",
                           "certs/nca/nca_gost_2022.cer", "certs/mfa.cer"})
    write(file, "x");
  const auto c = load_config(dir_ / "qujat.toml", {});
  EXPECT_NO_THROW(c.require_for_serve());
  EXPECT_EQ(c.procedure.calendar_dir, dir_ / "calendar");
}
