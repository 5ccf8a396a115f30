// The MFA exchange's tests: an office (tests/workflow/office_fixture.h) whose
// store the real processes share, `qujat mfa-mock` and `qujat mfa-worker`
// started as child processes on loopback (and killed), a configuration file
// written per test, and the mock's record of what reached it. The test PKI's
// "employee" RSA key stands in for the MFA; the office signs with "officer".
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "qujat/store/outbox.h"
#include "support/paths.h"
#include "workflow/office_fixture.h"

extern char** environ;

namespace qujat::test {

inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A child process with its standard output and error in files; SIGKILLed
// when the test ends without having stopped it.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& out, const std::filesystem::path& err)
      : out_(out), err_(err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ChildProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void kill(int signal) const {
    if (pid_ > 0) ::kill(pid_, signal);
  }
  // The exit status (128 + signal when killed).
  int wait() {
    if (pid_ <= 0) return -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string out() const { return slurp(out_); }
  std::string err() const { return slurp(err_); }

  // The first line of stdout that starts with `prefix`, waiting for it.
  std::string wait_for_line(const std::string& prefix, std::chrono::seconds timeout = std::chrono::seconds(30)) const {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      std::istringstream lines(out());
      for (std::string line; std::getline(lines, line);)
        if (line.rfind(prefix, 0) == 0) return line;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }

 private:
  pid_t pid_ = -1;
  std::filesystem::path out_;
  std::filesystem::path err_;
};

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::seconds timeout = std::chrono::seconds(60)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

struct MfaOptions {
  std::string answer = "callback";
  int connect_timeout = 1;
  int timeout = 2;
  int max_attempts = 100;
  int backoff_initial = 1;
  int backoff_max = 1;
  int poll_interval = 1;
};

class MfaTest : public OfficeTest {
 protected:
  void SetUp() override {
    OfficeTest::SetUp();
    if (IsSkipped()) return;
    dir_ = build_root() / "mfa-tests" / (std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    password_file_ = dir_ / "password";
    std::ofstream(password_file_) << kTestPkiPassword << "\n";
    record_ = dir_ / "record.jsonl";
  }

  std::string store_url() const { return schema_ ? schema_->url() : "sqlite:" + path_.string(); }
  static const pki::TestPki& pki() { return procedure_pki(); }
  static std::string mfa_certificate() { return pki().rsa.certificates.at("employee"); }

  std::filesystem::path write_config(const std::string& endpoint, const MfaOptions& o = {}) {
    const auto file = dir_ / ("qujat-" + std::to_string(configs_++) + ".toml");
    std::ofstream out(file);
    out << "[store]\nurl = " << nlohmann::json(store_url()).dump() << "\n"
        << "[trust]\nanchors = [" << nlohmann::json(pki().trust_dir).dump() << "]\n"
        << "[issuer]\nkey = " << nlohmann::json(pki().rsa.keys.at("officer")).dump() << "\n"
        << "password_file = " << nlohmann::json(password_file_.string()).dump() << "\n"
        << "[mfa]\nendpoint = " << nlohmann::json(endpoint).dump() << "\n"
        << "certificate = " << nlohmann::json(mfa_certificate()).dump() << "\n"
        << "answer = \"" << o.answer << "\"\n"
        << "connect_timeout_seconds = " << o.connect_timeout << "\n"
        << "timeout_seconds = " << o.timeout << "\n"
        << "max_attempts = " << o.max_attempts << "\n"
        << "backoff_initial_seconds = " << o.backoff_initial << "\n"
        << "backoff_max_seconds = " << o.backoff_max << "\n"
        << "poll_interval_seconds = " << o.poll_interval << "\n";
    return file;
  }

  // `qujat mfa-mock` on loopback; url() is where it listens.
  std::unique_ptr<ChildProcess> start_mock(const std::string& scenario, std::vector<std::string> extra = {},
                                           const std::string& listen = "127.0.0.1:0") {
    std::vector<std::string> argv{qujat_cli().string(),
                                  "mfa-mock",
                                  "--listen",
                                  listen,
                                  "--scenario",
                                  scenario,
                                  "--record",
                                  record_.string(),
                                  "--trust",
                                  pki().trust_dir,
                                  "--trust",
                                  pki().rsa.ca,
                                  "--key",
                                  pki().rsa.keys.at("employee"),
                                  "--password-file",
                                  password_file_.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto n = std::to_string(processes_++);
    auto mock = std::make_unique<ChildProcess>(argv, dir_ / ("mock-" + n + ".out"), dir_ / ("mock-" + n + ".err"));
    const auto line = mock->wait_for_line("listening on ");
    EXPECT_FALSE(line.empty()) << mock->err();
    mock_url_ = line.substr(std::string("listening on ").size());
    return mock;
  }

  std::unique_ptr<ChildProcess> start_worker(const std::filesystem::path& config, const std::string& name,
                                             const std::string& listen = "") {
    std::vector<std::string> argv{qujat_cli().string(), "mfa-worker", "--config", config.string(), "--name", name};
    if (!listen.empty()) argv.insert(argv.end(), {"--listen", listen});
    auto worker = std::make_unique<ChildProcess>(argv, dir_ / (name + ".out"), dir_ / (name + ".err"));
    const auto line = worker->wait_for_line(listen.empty() ? "mfa worker " : "listening on ");
    EXPECT_FALSE(line.empty()) << worker->err();
    if (!listen.empty()) worker_url_ = line.substr(std::string("listening on ").size());
    return worker;
  }

  // An export licence on its first export to the counterparty, accepted:
  // the procedure queued a guarantee check. Returns {application, check}.
  std::pair<std::string, std::string> awaiting_check() {
    auto p = export_package();
    p.application["flags"]["first_export_to_counterparty"] = true;
    // The guarantee document names the body that issued it.
    for (auto& attachment : p.application["attachments"])
      if (attachment["type"] == "end_user_certificate")
        attachment["issuer"] = "Bundesamt für Wirtschaft und Ausfuhrkontrolle (BAFA)";
    at("2026-03-20T10:00:00+05:00");
    const auto a = submit(p);
    at("2026-03-26T10:00:00+05:00");
    act(a.id, "accept");
    const auto v = view(a.id);
    EXPECT_EQ(v.application.state, store::ApplicationState::awaiting_mfa);
    return {a.id, v.guarantee_checks.at(0)["id"].get<std::string>()};
  }

  // More checks on one application, queued as the procedure queues them.
  std::vector<std::string> more_checks(const std::string& application_id, int n) {
    std::vector<std::string> ids;
    database_->write([&](store::Transaction& tx) {
      for (int i = 0; i < n; ++i) {
        const std::string id = "extra" + std::to_string(i);
        tx.execute(
            "INSERT INTO guarantee_checks (id, application_id, idempotency_key, reason, state, requested_at, details) "
            "VALUES (?, ?, ?, 'test', 'queued', ?, '{}')",
            {id, application_id, "qujat-mfa-" + id, std::int64_t{clock_->now().time_since_epoch().count()}});
        store::Outbox::enqueue(tx, "mfa.check", "qujat-mfa-" + id, id,
                               {{"check_id", id}, {"application_id", application_id}}, clock_->now());
        ids.push_back(id);
      }
    });
    return ids;
  }

  std::optional<std::string> answer_of(const std::string& check) {
    return database_->read([&](store::Transaction& tx) {
      return tx.query_row("SELECT answer FROM guarantee_checks WHERE id = ?", {check})->optional_text(0);
    });
  }
  std::string check_state(const std::string& check) {
    return database_->read([&](store::Transaction& tx) {
      return tx.query_row("SELECT state FROM guarantee_checks WHERE id = ?", {check})->text(0);
    });
  }
  std::int64_t answers_recorded() {
    return count("SELECT COUNT(*) FROM application_events WHERE action = 'record_mfa_answer'");
  }

  // The mock's record: one JSON object per request it received.
  std::vector<nlohmann::json> records() const {
    std::vector<nlohmann::json> out;
    std::istringstream lines(slurp(record_));
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
  }
  std::set<std::string> recorded_keys() const {
    std::set<std::string> keys;
    for (const auto& r : records())
      if (r.value("kind", "") == "check") keys.insert(r.value("idempotency_key", ""));
    return keys;
  }

  std::filesystem::path dir_;
  std::filesystem::path password_file_;
  std::filesystem::path record_;
  std::string mock_url_;
  std::string worker_url_;

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  int configs_ = 0;
  int processes_ = 0;
};

}  // namespace qujat::test
