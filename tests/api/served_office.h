// `qujat serve` for the service's tests: the real binary on loopback, with
// the test PKI (made once per build and shared by every test process), an
// SQLite store of its own, a fixed clock, the RSA officer key as issuer and
// as the one [officers] IIN. The test talks to it over raw sockets
// (RawClient), logs in with the EDS the way NCALayer would sign, and stops
// it with SIGTERM, expecting exit 0.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "http/raw_client.h"
#include "qujat/common/bytes.h"
#include "qujat/common/time.h"
#include "qujat/dsig/cms.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/test_pki.h"
#include "support/paths.h"
#include "support/test_office.h"

namespace qujat::test {

inline constexpr const char* kApiPkiPassword = "Service1Test";
inline constexpr const char* kServerNow = "2026-03-20T10:00:00+05:00";

// The test PKI (valid 2026-02-28 .. 2027-02-28), made once per build folder.
inline const pki::TestPki& api_pki() {
  static const pki::TestPki made = [] {
    const auto dir = build_root() / "tests" / "api-pki";
    if (!std::filesystem::exists(dir / "done")) {
      const auto scratch = build_root() / "tests" / ("api-pki." + std::to_string(::getpid()));
      std::filesystem::remove_all(scratch);
      pki::TestPkiOptions options;
      options.now = *parse_instant("2026-03-01T00:00:00Z");
      pki::make_test_pki(scratch.string(), kApiPkiPassword, options);
      std::ofstream(scratch / "done") << "made\n";
      std::error_code ec;
      std::filesystem::rename(scratch, dir, ec);  // another process may have won
      if (ec) std::filesystem::remove_all(scratch);
    }
    return test_pki_at(dir);
  }();
  return made;
}

inline const pki::KeyStore& api_key(const std::string& name, bool gost = false) {
  static std::map<std::string, std::unique_ptr<pki::KeyStore>> keys;
  auto& slot = keys[(gost ? "gost:" : "rsa:") + name];
  if (!slot) {
    const auto& family = gost ? api_pki().gost : api_pki().rsa;
    slot = std::make_unique<pki::KeyStore>(pki::load_pkcs12(family.keys.at(name), kApiPkiPassword));
  }
  return *slot;
}

inline std::string write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return path.string();
}

struct Reply {
  int status = 0;
  http::Headers headers;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class ServedOffice {
 public:
  // `extra`: more TOML lines for [server] (limits, for the hostile tests).
  explicit ServedOffice(const std::string& server_extra = "") {
    dir_ = build_root() / "tests" / ("api-run-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const auto& p = api_pki();
    write_text(dir_ / "key.pass", kApiPkiPassword);
    secret_ = "0123456789abcdef0123456789abcdef-test-secret-" + std::to_string(::getpid());
    write_text(dir_ / "token.secret", secret_);
    officer_iin_ = api_key("officer").certificate.identity().iin;
    std::ofstream(dir_ / "qujat.toml")
        << "[server]\nlisten = \"127.0.0.1:0\"\n"
        << server_extra << "\n"
        << "[store]\nurl = \"sqlite:" << (dir_ / "qujat.db").string() << "\"\n"
        << "[trust]\nanchors = [\"" << p.trust_dir << "\"]\nintermediates = [\"" << p.rsa.ca << "\", \"" << p.gost.ca
        << "\"]\nrevocation = \"none\"\n"
        << "[issuer]\nkey = \"" << p.rsa.keys.at("officer") << "\"\npassword_file = \"" << (dir_ / "key.pass").string()
        << "\"\nbody = { kk = \"Өнеркәсіп комитеті\", ru = \"Комитет промышленности\" }\n"
        << "position = { kk = \"Төрағаның орынбасары\", ru = \"Заместитель председателя\" }\n"
        << "full_name = \"Министрліков Е. Т.\"\n"
        << "[officers]\n\"" << officer_iin_ << "\" = [\"officer\", \"head\"]\n"
        << "[mfa]\nendpoint = \"http://127.0.0.1:9/mfa\"\n"
        << "[clock]\nfixed = \"" << kServerNow << "\"\n"
        << "[auth]\ntoken_secret_file = \"" << (dir_ / "token.secret").string() << "\"\n"
        << "[procedure]\ncalendar_dir = \"" << (source_root() / "calendar").string() << "\"\n"
        << "[paths]\ntemplates = \"" << (source_root() / "templates").string() << "\"\n";
    start();
  }

  ~ServedOffice() {
    if (pid_ > 0) stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // SIGTERM; the exit status (0 expected).
  int stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& dir() const { return dir_; }
  const std::string& secret() const { return secret_; }
  const std::string& officer_iin() const { return officer_iin_; }
  std::filesystem::path config_file() const { return dir_ / "qujat.toml"; }
  std::string log() const {
    std::ifstream in(dir_ / "stderr.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  Reply request(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& token = "", const std::string& content_type = "application/json",
                const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    RawClient client(port_);
    std::string head = method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n";
    if (!token.empty()) head += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty() || method == "POST")
      head += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    for (const auto& [k, v] : headers) head += k + ": " + v + "\r\n";
    client.send(head + "\r\n" + body);
    const auto r = client.read_response(std::chrono::seconds(60));
    if (!r) return {};
    return {r->status, r->headers, r->body};
  }

  Reply get(const std::string& target, const std::string& token = "") const {
    return request("GET", target, "", token);
  }
  Reply post(const std::string& target, const nlohmann::json& body, const std::string& token = "") const {
    return request("POST", target, body.dump(), token);
  }

  // A login as NCALayer makes it: CMS over the nonce, attached.
  std::string login(const pki::KeyStore& key) const {
    const auto challenge = post("/api/v1/auth/challenge", nlohmann::json::object()).json();
    const auto cms = sign_nonce(challenge.at("nonce").get<std::string>(), key);
    const auto reply = post("/api/v1/auth/token", {{"cms", base64_encode(cms)}});
    if (reply.status != 200) throw std::runtime_error("login failed: " + reply.body);
    return reply.json().at("token").get<std::string>();
  }

  static Bytes sign_nonce(const std::string& nonce, const pki::KeyStore& key) {
    dsig::CmsSignOptions options;
    options.signing_time = *parse_instant(kServerNow);
    return dsig::cms_sign(as_bytes(nonce), key, options);
  }

  // An export licence package of the company whose first head holds `key`.
  static Package export_package(const pki::KeyStore& key) {
    Package p{sample("export-licence"), {}};
    p.application.erase("licence");
    p.application["applicant"]["bin"] = key.certificate.identity().bin;
    p.application["flags"]["first_export_to_counterparty"] = false;
    p.attach_files();
    return p;
  }

  // Submits the company's export licence application and has the officer
  // accept, record the approval and issue it; returns the application as
  // the applicant sees it (documents[0] is the licence).
  nlohmann::json issue_licence(const pki::KeyStore& company) const {
    const auto applicant = login(company);
    const auto officer = login(api_key("officer"));
    auto reply = post("/api/v1/applications", submission(export_package(company), company), applicant);
    if (reply.status != 201) throw std::runtime_error("submit: " + reply.body);
    const std::string id = reply.json()["id"];
    for (const auto& action : {nlohmann::json{{"action", "accept"}},
                               nlohmann::json{{"action", "record_approval"},
                                              {"body", {{"kk", "ҰҚК"}, {"ru", "КНБ"}}},
                                              {"letter_number", "1"},
                                              {"letter_date", "2026-03-20"}},
                               nlohmann::json{{"action", "issue"}}}) {
      reply = post("/api/v1/applications/" + id + "/actions", action, officer);
      if (reply.status != 200) throw std::runtime_error(action.dump() + ": " + reply.body);
    }
    return get("/api/v1/applications/" + id, applicant).json();
  }

  static nlohmann::json submission(const Package& p, const pki::KeyStore& key) {
    nlohmann::json files = nlohmann::json::object();
    for (const auto& [hash, content] : p.files) files[hash] = base64_encode(content);
    return {{"cms", base64_encode(sign(p.application, key, *parse_instant(kServerNow)))}, {"files", files}};
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }

  void start() {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      const int err = ::open((dir_ / "stderr.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(err, 2);
      ::close(out[0]);
      const std::string exe = qujat_cli().string(), config = (dir_ / "qujat.toml").string();
      ::execl(exe.c_str(), exe.c_str(), "serve", "--config", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && ::read(out[0], &c, 1) == 1) {
      if (c == '\n') break;
      line += c;
    }
    ::close(out[0]);
    const std::string prefix = "listening on http://127.0.0.1:";
    if (!line.starts_with(prefix)) throw std::runtime_error("qujat serve did not start: " + line + "\n" + log());
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(prefix.size())));
  }

  std::filesystem::path dir_;
  std::string secret_;
  std::string officer_iin_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace qujat::test
