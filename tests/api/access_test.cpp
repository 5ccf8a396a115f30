// Authorisation on every route of the server. The route table comes from
// the service itself (api::Service::routes(), what the server registers),
// so a route added without an entry here fails the first test, and every
// route is then probed live: no token, a forged and an expired one get 401,
// a known user of another role 403, and another applicant's application or
// document 404 on every route that names one.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "api/served_office.h"
#include "qujat/api/login.h"
#include "qujat/api/service.h"
#include "qujat/config/config.h"
#include "qujat/http/metrics.h"
#include "qujat/store/database.h"
#include "qujat/workflow/office_runtime.h"

namespace qujat::test {
namespace {

using api::Access;

// The rule each route must have: the contract's (API.md) and ours.
const std::map<std::string, Access>& expected_rules() {
  static const std::map<std::string, Access> rules = {
      {"POST /api/v1/auth/challenge", Access::open},
      {"POST /api/v1/auth/token", Access::open},
      {"GET /api/v1/me", Access::signed_in},
      {"POST /api/v1/applications", Access::applicant},
      {"GET /api/v1/applications", Access::applicant},
      {"GET /api/v1/applications/{id}", Access::signed_in},
      {"GET /api/v1/applications/{id}/files/{sha256}", Access::officer},
      {"POST /api/v1/applications/{id}/actions", Access::officer},
      {"GET /api/v1/desk/applications", Access::officer},
      {"GET /api/v1/desk/mfa-checks", Access::officer},
      {"POST /api/v1/desk/mfa-checks/{id}/requeue", Access::officer},
      {"POST /api/v1/mfa/callback", Access::open},
      {"GET /api/v1/documents/{number}", Access::signed_in},
      {"GET /api/v1/documents/{number}.xml", Access::signed_in},
      {"GET /api/v1/documents/{number}.pdf", Access::signed_in},
      {"POST /api/v1/documents/{number}/execution-reports", Access::applicant},
      {"POST /api/v1/verify", Access::open},
      {"GET /verify/{number}", Access::open},
      {"GET /healthz", Access::open},
      {"GET /readyz", Access::open},
      {"GET /metrics", Access::open},
  };
  return rules;
}

// The routes of a service built from the same configuration as the server.
std::vector<api::RouteSpec> service_routes(const ServedOffice& office) {
  auto settings = config::load_config(office.config_file(), {});
  settings.store.url = "sqlite:" + (office.dir() / "routes.db").string();
  workflow::OfficeRuntime runtime(settings, {}, false);
  api::LoginSettings login_settings;
  login_settings.token_secret = office.secret();
  const api::EdsLogin login(runtime.database(), runtime.clock(), login_settings);
  http::MetricsRegistry metrics;
  return api::Service(runtime, login, metrics).routes();
}

std::string fill(std::string pattern, const std::string& id, const std::string& number) {
  pattern = std::regex_replace(pattern, std::regex("\\{id\\}"), id);
  pattern = std::regex_replace(pattern, std::regex("\\{number\\}"), number);
  return std::regex_replace(pattern, std::regex("\\{sha256\\}"), std::string(64, 'a'));
}

class ServiceAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { office_ = new ServedOffice(); }
  static void TearDownTestSuite() {
    delete office_;
    office_ = nullptr;
  }
  static ServedOffice* office_;
};
ServedOffice* ServiceAccess::office_ = nullptr;

TEST_F(ServiceAccess, EveryRouteOfTheServerHasItsRule) {
  const auto routes = service_routes(*office_);
  ASSERT_FALSE(routes.empty());
  for (const auto& r : routes) {
    const auto key = r.method + " " + r.pattern;
    const auto it = expected_rules().find(key);
    ASSERT_NE(it, expected_rules().end()) << "a route without a rule in this test: " << key;
    EXPECT_EQ(api::name(r.access), api::name(it->second)) << key;
  }
  EXPECT_EQ(routes.size(), expected_rules().size());
}

TEST_F(ServiceAccess, TokensThatAreMissingForgedOrExpiredGet401AndOtherRoles403) {
  const auto applicant = office_->login(api_key("individual"));
  const auto officer = office_->login(api_key("officer"));
  auto forged = applicant;
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  // Signed with the server's secret, but expired by the server's clock.
  auto db = store::open_database("sqlite::memory:");
  FixedClock past(*parse_instant(kServerNow) - std::chrono::hours(2));
  api::LoginSettings s;
  s.token_secret = office_->secret();
  const auto expired = api::EdsLogin(*db, past, s).issue({"880101300011", "", "x", {"applicant", "officer"}}).token;
  // With another secret.
  s.token_secret = std::string(48, 'z');
  FixedClock now(*parse_instant(kServerNow));
  const auto foreign = api::EdsLogin(*db, now, s).issue({"880101300011", "", "x", {"officer"}}).token;

  for (const auto& r : service_routes(*office_)) {
    const auto key = r.method + " " + r.pattern;
    const auto target = fill(r.pattern, "00000000-0000-4000-8000-000000000000", "EXP-0000-000000");
    const std::string body = r.method == "POST" ? "{}" : "";
    if (r.access == Access::open) {
      EXPECT_NE(office_->request(r.method, target, body).status, 401) << key;
      continue;
    }
    EXPECT_EQ(office_->request(r.method, target, body).status, 401) << key << " without a token";
    for (const auto& bad : {forged, expired, foreign, std::string("garbage")})
      EXPECT_EQ(office_->request(r.method, target, body, bad).status, 401) << key << " with " << bad;
    const auto as_applicant = office_->request(r.method, target, body, applicant).status;
    const auto as_officer = office_->request(r.method, target, body, officer).status;
    EXPECT_EQ(as_applicant == 403, r.access == Access::officer) << key << ": " << as_applicant;
    EXPECT_EQ(as_officer == 403, r.access == Access::applicant) << key << ": " << as_officer;
  }
}

// The login remembers tokens it has checked (so a status read does not pay
// the HMAC each time); a remembered token still expires by the clock, and a
// forged variant of it is still refused.
TEST(TokenMemory, ARememberedTokenStillExpiresAndItsForgeryIsRefused) {
  auto db = store::open_database("sqlite::memory:");
  FixedClock clock(*parse_instant(kServerNow));
  api::LoginSettings s;
  s.token_secret = std::string(48, 'k');
  s.token_ttl = std::chrono::seconds(600);
  const api::EdsLogin login(*db, clock, s);
  const auto token = login.issue({"880101300011", "", "x", {"applicant"}}).token;
  ASSERT_TRUE(login.subject_of(token));
  ASSERT_TRUE(login.subject_of(token));  // the remembered one
  EXPECT_EQ(login.subject_of(token)->iin, "880101300011");
  auto forged = token;
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(login.subject_of(forged));
  clock.advance(std::chrono::seconds(601));
  EXPECT_FALSE(login.subject_of(token));
}

TEST_F(ServiceAccess, AnotherApplicantsApplicationAndDocumentsAre404OnEveryRoute) {
  // B: the end user's company applies and gets a licence.
  const auto& b_key = api_key("end_user_head");
  const auto b = office_->login(b_key);
  const auto officer = office_->login(api_key("officer"));
  auto reply =
      office_->post("/api/v1/applications", ServedOffice::submission(ServedOffice::export_package(b_key), b_key), b);
  ASSERT_EQ(reply.status, 201) << reply.body;
  const std::string id = reply.json()["id"];
  for (const auto& action : {nlohmann::json{{"action", "accept"}},
                             nlohmann::json{{"action", "record_approval"},
                                            {"body", {{"kk", "ҰҚК"}, {"ru", "КНБ"}}},
                                            {"letter_number", "1"},
                                            {"letter_date", "2026-03-20"}},
                             nlohmann::json{{"action", "issue"}}})
    ASSERT_EQ(office_->post("/api/v1/applications/" + id + "/actions", action, officer).status, 200);
  const std::string number = office_->get("/api/v1/applications/" + id, b).json()["documents"][0]["number"];
  ASSERT_EQ(office_->get("/api/v1/documents/" + number + ".pdf", b).status, 200);

  // A: another company, and a person.
  for (const auto* who : {"first_head", "individual"}) {
    const auto a = office_->login(api_key(who));
    for (const auto& r : service_routes(*office_)) {
      if (r.access == Access::open || r.access == Access::officer) continue;
      if (r.pattern.find('{') == std::string::npos) continue;
      const auto target = fill(r.pattern, id, number);
      const auto reply_a = office_->request(r.method, target, r.method == "POST" ? "{}" : "", a);
      EXPECT_EQ(reply_a.status, 404) << who << " " << r.method << " " << target << " " << reply_a.body;
    }
    const auto list = office_->get("/api/v1/applications", a).json();
    for (const auto& item : list["items"]) EXPECT_NE(item["id"], id);
  }
}

// docs/openapi.yaml describes exactly the routes the server has: each
// "  /path:" under paths: with its "    method:" entries.
TEST_F(ServiceAccess, OpenApiDescribesExactlyTheServersRoutes) {
  std::ifstream in(source_root() / "docs" / "openapi.yaml");
  ASSERT_TRUE(in);
  std::set<std::string> described;
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ') break;
    if (line.starts_with("  /") && line.ends_with(":") && !line.starts_with("   ")) {
      path = line.substr(2, line.size() - 3);
      continue;
    }
    for (const char* method : {"get", "post", "put", "patch", "delete"})
      if (line == std::string("    ") + method + ":") {
        std::string upper(method);
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        described.insert(upper + " " + path);
      }
  }
  std::set<std::string> served;
  for (const auto& r : service_routes(*office_)) served.insert(r.method + " " + r.pattern);
  for (const auto& r : served) EXPECT_TRUE(described.contains(r)) << "not in docs/openapi.yaml: " << r;
  for (const auto& r : described) EXPECT_TRUE(served.contains(r)) << "described but not served: " << r;
}

}  // namespace
}  // namespace qujat::test
