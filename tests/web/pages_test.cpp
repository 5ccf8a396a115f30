// The web pages' rules, held without a browser: every state-changing form
// and script call refused without its CSRF token (403, coded), one
// applicant never sees another's application (404) nor its number in a
// page, the session cookie's flags, the language switch, the field-by-field
// check, an officer's action only with its confirmation, and the security
// headers on every answer. The walk in a real browser is tests/web/*.test.js.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "qujat/store/outbox.h"
#include "qujat/web/browser_session.h"
#include "qujat/web/page_templates.h"
#include "qujat/web/pages.h"
#include "workflow/office_fixture.h"

namespace qujat::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class WebPages : public OfficeTest {
 protected:
  void SetUp() override {
    OfficeTest::SetUp();
    templates_ = std::make_unique<web::PageTemplates>(source_root() / "templates");
    actors_ = {{"token-company", {key_iin("first_head"), key_bin("first_head"), "Company Head", {"applicant"}}},
               {"token-person", {key_iin("individual"), "", "Individual", {"applicant"}}},
               {"token-officer", {key_iin("officer"), "", "Officer", {"officer"}}}};
    services_ = std::make_unique<web::PageServices>(
        web::PageServices{*office_, OfficeParts::shared().engine, *templates_,
                          [this](const std::string& token) -> std::optional<workflow::Actor> {
                            const auto it = actors_.find(token);
                            if (it == actors_.end()) return std::nullopt;
                            return it->second;
                          },
                          settings_});
    web::add_pages(router_, *services_);
  }

  http::Response call(const std::string& method, const std::string& target, const std::string& session = "",
                      std::string body = "", const std::string& content_type = "",
                      std::optional<std::string> csrf = kCsrf) {
    http::Request request;
    request.method = method;
    request.target = target;
    const auto query_at = target.find('?');
    request.path = target.substr(0, query_at);
    if (query_at != std::string::npos) request.query_items = *http::parse_query(target.substr(query_at + 1));
    std::string cookies;
    if (!session.empty()) cookies = std::string(web::kSessionCookie) + "=" + session;
    if (csrf) cookies += (cookies.empty() ? "" : "; ") + std::string(web::kCsrfCookie) + "=" + *csrf;
    if (!cookies.empty()) request.headers.add("Cookie", cookies);
    if (!content_type.empty()) request.headers.add("Content-Type", content_type);
    request.body = std::move(body);
    const auto found = router_.find(method, request.path);
    EXPECT_EQ(found.outcome, http::Router::Outcome::found) << method << " " << target;
    if (found.outcome != http::Router::Outcome::found) return {};
    request.params = found.params;
    request.route = std::string(found.pattern);
    return (*found.handler)(request);
  }

  http::Response post_form(const std::string& target, const std::string& session, const std::string& form) {
    return call("POST", target, session, form, "application/x-www-form-urlencoded");
  }

  http::Response post_json(const std::string& target, const std::string& session, const nlohmann::json& body,
                           bool with_header = true) {
    return call_json(target, session, body.dump(), with_header);
  }

  http::Response call_json(const std::string& target, const std::string& session, std::string body, bool with_header) {
    http::Request request;
    request.method = "POST";
    request.target = request.path = target;
    request.headers.add("Cookie",
                        std::string(web::kSessionCookie) + "=" + session + "; " + web::kCsrfCookie + "=" + kCsrf);
    request.headers.add("Content-Type", "application/json");
    if (with_header) request.headers.add(web::kCsrfHeader, kCsrf);
    request.body = std::move(body);
    const auto found = router_.find("POST", target);
    EXPECT_EQ(found.outcome, http::Router::Outcome::found);
    request.params = found.params;
    return (*found.handler)(request);
  }

  // The company's export licence application, registered.
  std::string company_application() { return submit(export_package()).id; }

  static constexpr const char* kCsrf = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  std::unique_ptr<web::PageTemplates> templates_;
  std::map<std::string, workflow::Actor> actors_;
  web::PageSettings settings_;
  std::unique_ptr<web::PageServices> services_;
  http::Router router_;
};

TEST_P(WebPages, AnotherApplicantsApplicationIsNotFoundAndNeverShown) {
  const auto record = submit(export_package());
  const auto id = record.id;
  EXPECT_THAT(call("GET", "/cabinet/applications/" + id, "token-company").body, HasSubstr(record.registration_number));
  const auto other = call("GET", "/cabinet/applications/" + id, "token-person");
  EXPECT_EQ(other.status, 404);
  EXPECT_THAT(other.body, HasSubstr("data-code=\"application.not_found\""));
  EXPECT_THAT(other.body, Not(HasSubstr(record.registration_number)));
  EXPECT_THAT(other.body, Not(HasSubstr(key_bin("first_head"))));
  const auto cabinet = call("GET", "/cabinet", "token-person");
  EXPECT_EQ(cabinet.status, 200);
  EXPECT_THAT(cabinet.body, Not(HasSubstr(id)));
  EXPECT_THAT(cabinet.body, Not(HasSubstr(record.registration_number)));
  EXPECT_THAT(call("GET", "/cabinet", "token-company").body, HasSubstr(id));
  // The desk is the officers' only.
  EXPECT_EQ(call("GET", "/desk/applications/" + id, "token-person").status, 403);
  EXPECT_EQ(call("GET", "/cabinet/documents/KZ-NONE.pdf", "token-person").status, 404);
}

TEST_P(WebPages, StateChangingCallsWithoutTheCsrfTokenAreRefused) {
  const auto id = company_application();
  // A form without the field.
  const auto act = post_form("/desk/applications/" + id + "/actions", "token-officer", "action=accept&confirm=yes");
  EXPECT_EQ(act.status, 403);
  EXPECT_THAT(act.body, HasSubstr("data-code=\"web.csrf\""));
  // With a field that is not the cookie's.
  const auto wrong = post_form("/desk/applications/" + id + "/actions", "token-officer",
                               "action=accept&confirm=yes&csrf=" + std::string(64, 'f'));
  EXPECT_EQ(wrong.status, 403);
  // The script's calls without the header: the contract's JSON error.
  const auto check =
      post_json("/cabinet/check", "token-company", {{"application", export_package().application}}, false);
  EXPECT_EQ(check.status, 403);
  EXPECT_EQ(nlohmann::json::parse(check.body)["error"]["code"], "web.csrf");
  EXPECT_EQ(post_form("/logout", "token-company", "").status, 403);
  EXPECT_EQ(post_form("/login", "", "token=token-company").status, 403);
  // Nothing moved.
  EXPECT_EQ(view(id).application.state, store::ApplicationState::registered);
}

TEST_P(WebPages, AScriptCallWithABrokenBodyGetsTheContractsErrorAndTheHeaders) {
  const auto broken = call_json("/cabinet/check", "token-company", "{\"application\": ", true);
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(nlohmann::json::parse(broken.body)["error"]["code"], "http.malformed_json");
  EXPECT_TRUE(broken.headers.contains("Content-Security-Policy"));
  const auto anonymous = call_json("/cabinet/check", "nobody", "{}", true);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(nlohmann::json::parse(anonymous.body)["error"]["code"], "web.login_required");
}

TEST_P(WebPages, AnOfficerActsOnlyWithTheConfirmation) {
  const auto id = company_application();
  const auto unconfirmed =
      post_form("/desk/applications/" + id + "/actions", "token-officer", std::string("action=accept&csrf=") + kCsrf);
  EXPECT_EQ(unconfirmed.status, 422);
  EXPECT_THAT(unconfirmed.body, HasSubstr("data-code=\"web.confirmation_missing\""));
  EXPECT_EQ(view(id).application.state, store::ApplicationState::registered);
  const auto done = post_form("/desk/applications/" + id + "/actions", "token-officer",
                              std::string("action=accept&confirm=yes&csrf=") + kCsrf);
  EXPECT_EQ(done.status, 303);
  EXPECT_EQ(done.headers.get("Location").value_or(""), "/desk/applications/" + id + "?done=accept");
  EXPECT_EQ(view(id).application.state, store::ApplicationState::under_review);
  // An action the state does not allow is shown on the page, coded.
  const auto again = post_form("/desk/applications/" + id + "/actions", "token-officer",
                               std::string("action=accept&confirm=yes&csrf=") + kCsrf);
  EXPECT_EQ(again.status, 409);
  EXPECT_THAT(again.body, HasSubstr("data-code=\"action.not_allowed\""));
}

// The desk's action forms have a field for each member API.md names; what
// an officer fills in reaches the procedure as that member.
TEST_P(WebPages, TheActionFormsFieldsReachTheProcedureAsTheApiNamesThem) {
  const auto id = company_application();
  const auto act_by_form = [&](const std::string& fields) {
    return post_form("/desk/applications/" + id + "/actions", "token-officer",
                     fields + "&confirm=yes&csrf=" + kCsrf);
  };
  ASSERT_EQ(act_by_form("action=accept").status, 303);
  const auto assessed =
      act_by_form("action=record_risk_assessment&level=high&conclusion_kk=Kk+conclusion&conclusion_ru=Ru+conclusion");
  ASSERT_EQ(assessed.status, 303) << assessed.body;
  const auto risk = view(id).application.case_file["risk_assessment"];
  EXPECT_EQ(risk["level"], "high");
  EXPECT_EQ(risk["conclusion"], (nlohmann::json{{"kk", "Kk conclusion"}, {"ru", "Ru conclusion"}}));
  // One of the two languages left empty: the procedure names the member.
  const auto half = act_by_form("action=record_risk_assessment&level=low&conclusion_kk=Kk+only");
  EXPECT_EQ(half.status, 422);
  EXPECT_THAT(half.body, HasSubstr("data-code=\"action.field_invalid\""));

  ASSERT_EQ(act_by_form("action=request_mfa_check&reason=Guarantee+check").status, 303);
  const auto check_id = view(id).guarantee_checks[0]["id"].get<std::string>();
  const auto page = call("GET", "/desk/applications/" + id, "token-officer");
  EXPECT_THAT(page.body, HasSubstr("<option value=\"" + check_id + "\">"));
  EXPECT_THAT(page.body, HasSubstr("name=\"answer\""));
  const auto answered =
      act_by_form("action=record_mfa_answer&check_id=" + check_id + "&answer=authentic&reason=Answer+letter");
  ASSERT_EQ(answered.status, 303) << answered.body;
  const auto after = view(id);
  EXPECT_EQ(after.guarantee_checks[0]["answer"], "authentic");
  EXPECT_EQ(after.application.state, store::ApplicationState::under_review);

  // return's reason, a Kazakh and Russian pair, goes as a list of one
  // (beside the missing document the refusal to consider names).
  auto incomplete = export_package();
  auto& attachments = incomplete.application["attachments"];
  for (std::size_t i = attachments.size(); i-- > 0;)
    if (attachments[i]["type"] == "end_user_certificate") attachments.erase(i);
  incomplete.attach_files();
  const auto other = submit(incomplete).id;
  const auto returned = post_form("/desk/applications/" + other + "/actions", "token-officer",
                                  std::string("action=return&return_reason_kk=Kk+reason&return_reason_ru=Ru+reason") +
                                      "&confirm=yes&csrf=" + kCsrf);
  ASSERT_EQ(returned.status, 303) << returned.body;
  const auto returned_view = view(other);
  EXPECT_EQ(returned_view.application.state, store::ApplicationState::returned);
  ASSERT_EQ(returned_view.documents.size(), 1u);
  const auto refusal = workflow::Procedure(*office_).document(returned_view.documents[0].number, officer(), true);
  EXPECT_THAT(refusal.xml, HasSubstr("Kk reason"));
  EXPECT_THAT(refusal.xml, HasSubstr("Ru reason"));
}

// A request the MFA gateway did not take is parked for an officer; the
// application's desk page says why in the page's language, with the
// technical detail beside it (templates/messages/mfa.json).
TEST_P(WebPages, TheDeskShowsWhyAParkedMfaRequestWasNotDelivered) {
  const auto id = company_application();
  act(id, "accept");
  act(id, "request_mfa_check", {{"reason", "Кепілдік құжатының түпнұсқалығы"}});
  const auto page_in = [&](const char* language) {
    http::Request request;
    request.method = "GET";
    request.target = request.path = "/desk/applications/" + id;
    request.headers.add("Cookie", std::string(web::kSessionCookie) + "=token-officer; qujat_lang=" + language);
    const auto found = router_.find("GET", request.path);
    EXPECT_EQ(found.outcome, http::Router::Outcome::found);
    request.params = found.params;
    return (*found.handler)(request);
  };
  // Queued, not yet tried: its state and no error.
  const auto queued = page_in("ru");
  EXPECT_EQ(queued.status, 200);
  EXPECT_THAT(queued.body, HasSubstr("data-delivery=\"pending\""));
  EXPECT_THAT(queued.body, HasSubstr("в очереди, попыток: 0"));

  database_->write([&](store::Transaction& tx) {
    const auto claimed = store::Outbox::claim(tx, "mfa.check", "test-worker", clock_->now(), std::chrono::seconds(40), 10);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_TRUE(store::Outbox::failed(tx, claimed[0].id, "test-worker",
                                      "mfa.transport: no answer from http://127.0.0.1:9/mfa: Couldn't connect to server",
                                      clock_->now(), true));
  });
  const auto russian = page_in("ru");
  EXPECT_THAT(russian.body, HasSubstr("data-delivery=\"parked\""));
  EXPECT_THAT(russian.body, HasSubstr("отложен, ждёт решения сотрудника, попыток: 1"));
  EXPECT_THAT(russian.body, HasSubstr("data-code=\"mfa.transport\">Шлюз МИД не ответил (сеть, тайм-аут или TLS)"));
  EXPECT_THAT(russian.body, HasSubstr("<small>no answer from http://127.0.0.1:9/mfa: Couldn"));
  const auto kazakh = page_in("kk");
  EXPECT_THAT(kazakh.body, HasSubstr("СІМ шлюзі жауап бермеді (желі, күту уақыты немесе TLS)"));
  EXPECT_THAT(kazakh.body, HasSubstr("тоқтатылды, қызметкердің шешімін күтеді"));
}

TEST_P(WebPages, TheCheckNamesEachFieldInTheChosenLanguage) {
  auto application = export_package().application;
  application["applicant"]["bin"] = "123456789012";
  const auto response = post_json("/cabinet/check", "token-company", {{"application", application}});
  ASSERT_EQ(response.status, 200) << response.body;
  const auto problems = nlohmann::json::parse(response.body)["problems"];
  bool named = false;
  for (const auto& p : problems)
    named =
        named || (p["path"] == "/applicant/bin" && p["message"]["kk"].is_string() && p["message"]["ru"].is_string());
  EXPECT_TRUE(named) << problems.dump();
  EXPECT_TRUE(nlohmann::json::parse(
                  post_json("/cabinet/check", "token-company", {{"application", export_package().application}})
                      .body)["problems"]
                  .empty());
}

TEST_P(WebPages, LoginSetsAStrictHttpOnlySessionCookie) {
  const auto login = post_form("/login", "", std::string("token=token-company&csrf=") + kCsrf);
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(login.headers.get("Location").value_or(""), "/cabinet");
  const auto cookie = std::string(login.headers.get("Set-Cookie").value_or(""));
  EXPECT_THAT(cookie, HasSubstr("qujat_session=token-company"));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(cookie, Not(HasSubstr("Secure")));
  EXPECT_EQ(
      post_form("/login", "", std::string("token=token-officer&csrf=") + kCsrf).headers.get("Location").value_or(""),
      "/desk");
  // A token the service does not know is refused with the coded message.
  const auto forged = post_form("/login", "", std::string("token=forged&csrf=") + kCsrf);
  EXPECT_EQ(forged.status, 401);
  EXPECT_THAT(forged.body, HasSubstr("data-code=\"web.session_refused\""));
  EXPECT_THAT(web::session_cookie("t", true, 60), HasSubstr("; Secure"));
}

TEST_P(WebPages, EveryAnswerCarriesTheSecurityHeadersAndAnonymousPagesGoToLogin) {
  const auto cabinet = call("GET", "/cabinet", "", "", "", std::nullopt);
  EXPECT_EQ(cabinet.status, 303);
  EXPECT_EQ(cabinet.headers.get("Location").value_or(""), "/login");
  const auto login = call("GET", "/login", "", "", "", std::nullopt);
  EXPECT_EQ(login.status, 200);
  const auto csp = std::string(login.headers.get("Content-Security-Policy").value_or(""));
  EXPECT_THAT(csp, HasSubstr("script-src 'self'"));
  EXPECT_THAT(csp, HasSubstr("connect-src 'self' wss://127.0.0.1:13579/"));
  EXPECT_THAT(csp, HasSubstr("default-src 'none'"));
  // A browser without a CSRF cookie gets one, and the page's forms carry the same value.
  const auto set = std::string(login.headers.get("Set-Cookie").value_or(""));
  ASSERT_THAT(set, HasSubstr("qujat_csrf="));
  const auto token = set.substr(set.find('=') + 1, 64);
  EXPECT_THAT(login.body, HasSubstr("name=\"csrf\" value=\"" + token + "\""));
  EXPECT_THAT(login.body, HasSubstr("data-ncalayer-url=\"wss://127.0.0.1:13579/\""));
  EXPECT_THAT(login.body, Not(HasSubstr("<script>")));  // no inline script
  EXPECT_EQ(call("GET", "/static/qujat.js").headers.get("Content-Type").value_or(""), "text/javascript; charset=utf-8");
  EXPECT_EQ(call("GET", "/static/other.js").status, 404);
}

TEST_P(WebPages, TheLanguageSwitchPersistsInACookieAndStaysOnTheSite) {
  const auto to_kk = call("GET", "/lang/kk?next=/cabinet/new");
  EXPECT_EQ(to_kk.status, 303);
  EXPECT_EQ(to_kk.headers.get("Location").value_or(""), "/cabinet/new");
  EXPECT_THAT(std::string(to_kk.headers.get("Set-Cookie").value_or("")), HasSubstr("qujat_lang=kk"));
  EXPECT_EQ(call("GET", "/lang/ru?next=//evil.example/").headers.get("Location").value_or(""), "/");
  EXPECT_EQ(call("GET", "/lang/en").status, 404);

  http::Request request;
  request.headers.add("Cookie", "qujat_lang=kk");
  EXPECT_EQ(web::page_language(request), i18n::Language::kk);
  http::Request russian;
  russian.headers.add("Accept-Language", "ru-RU,kk;q=0.8");
  EXPECT_EQ(web::page_language(russian), i18n::Language::ru);
  http::Request kazakh;
  kazakh.headers.add("Accept-Language", "kk-KZ,ru;q=0.8");
  EXPECT_EQ(web::page_language(kazakh), i18n::Language::kk);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, WebPages, ::testing::Values(Backend::sqlite),
                         [](const auto& info) { return info.param == Backend::sqlite ? "sqlite" : "postgresql"; });

TEST(BrowserSession, CookiesAreReadAsBrowsersSendThem) {
  const auto cookies = web::parse_cookies(" a=1; qujat_session=\"tok\";b= 2 ;=x; a=3");
  EXPECT_EQ(cookies.at("a"), "1");
  EXPECT_EQ(cookies.at("qujat_session"), "tok");
  EXPECT_EQ(cookies.at("b"), "2");
  EXPECT_EQ(cookies.size(), 3u);
  EXPECT_EQ(web::local_path_or_root("/\\evil"), "/");
  EXPECT_EQ(web::local_path_or_root("https://evil/"), "/");
  EXPECT_EQ(web::local_path_or_root("/desk?state=registered"), "/desk?state=registered");
}

TEST(PageTemplates, DataIsEscapedAndEveryWordIsInBothLanguages) {
  const web::PageTemplates templates(source_root() / "templates");
  const auto page = templates.render("error", i18n::Language::ru,
                                     {{"error", {{"code", "x"}, {"text", "<script>alert(1)</script>"}}}});
  EXPECT_THAT(page, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(page, HasSubstr("<html lang=\"ru\">"));
  const auto& kk = templates.wording(i18n::Language::kk);
  const auto& ru = templates.wording(i18n::Language::ru);
  for (const auto& [key, value] : ru.items()) {
    EXPECT_TRUE(kk.contains(key)) << key;
    if (value.is_object()) {
      for (const auto& [code, _] : value.items()) {
        EXPECT_TRUE(kk[key].contains(code)) << key << "." << code;
      }
    }
  }
  for (const auto& [key, _] : kk.items()) {
    EXPECT_TRUE(ru.contains(key)) << key;
  }
}

}  // namespace
}  // namespace qujat::test
