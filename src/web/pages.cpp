#include "qujat/web/pages.h"

#include <map>
#include <memory>
#include <sstream>
#include <utility>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"
#include "qujat/http/api_error.h"
#include "qujat/http/json_body.h"
#include "qujat/http/uri.h"
#include "qujat/mfa/guarantee_exchange.h"
#include "qujat/model/check.h"
#include "qujat/store/applications.h"
#include "qujat/web/browser_session.h"
#include "qujat/workflow/intake.h"
#include "qujat/workflow/procedure.h"
#include "qujat/workflow/procedure_error.h"

namespace qujat::web {
namespace {

using i18n::Language;
using nlohmann::json;
using workflow::Actor;
using workflow::ProcedureError;

const i18n::MessageCatalogue& web_messages() { return i18n::MessageCatalogue::standard("web"); }

int status_of(ProcedureError::Kind kind) {
  switch (kind) {
    case ProcedureError::Kind::invalid:
    case ProcedureError::Kind::signature:
      return 422;
    case ProcedureError::Kind::not_found:
      return 404;
    case ProcedureError::Kind::not_allowed:
      return 409;
    case ProcedureError::Kind::forbidden:
      return 403;
  }
  return 500;
}

json problems_json(const std::vector<model::Problem>& problems) {
  json out = json::array();
  for (const auto& p : problems)
    out.push_back({{"path", p.path}, {"code", p.code}, {"params", p.params}, {"message", p.message.to_json()}});
  return out;
}

// A page's own error: the status and the coded message of web.json (or of
// the procedure), shown in the page's language.
struct PageError {
  int status;
  std::string code;
  i18n::Message message;
};

class Pages : public std::enable_shared_from_this<Pages> {
 public:
  explicit Pages(const PageServices& services)
      : s_(services),
        procedure_(services.office),
        csp_(content_security_policy(services.settings)),
        script_(services.templates.static_file("qujat.js")),
        style_(services.templates.static_file("qujat.css")) {}

  void add_routes(http::Router& router) {
    auto bind = [self = shared_from_this()](http::Response (Pages::*member)(http::Request&)) {
      return [self, member](http::Request& request) { return self->guarded(request, member); };
    };
    const http::RouteOptions upload{s_.settings.max_upload_bytes};
    router.add("GET", "/", bind(&Pages::home));
    router.add("GET", "/login", bind(&Pages::login_page));
    router.add("POST", "/login", bind(&Pages::login));
    router.add("POST", "/logout", bind(&Pages::logout));
    router.add("GET", "/lang/{code}", bind(&Pages::switch_language));
    router.add("GET", "/static/{name}", bind(&Pages::static_file));
    router.add("GET", "/favicon.ico", bind(&Pages::no_icon));
    router.add("GET", "/cabinet", bind(&Pages::cabinet));
    router.add("GET", "/cabinet/new", bind(&Pages::new_application));
    router.add("POST", "/cabinet/check", bind(&Pages::check));
    router.add("POST", "/cabinet/applications", bind(&Pages::submit), upload);
    router.add("GET", "/cabinet/applications/{id}", bind(&Pages::application));
    router.add("GET", "/cabinet/documents/{number}.pdf", bind(&Pages::document_pdf));
    router.add("GET", "/cabinet/documents/{number}.xml", bind(&Pages::document_xml));
    router.add("GET", "/desk", bind(&Pages::desk));
    router.add("GET", "/desk/applications/{id}", bind(&Pages::desk_application));
    router.add("POST", "/desk/applications/{id}/actions", bind(&Pages::act), upload);
  }

 private:
  // --- what every page has --------------------------------------------------

  // Runs a page; a PageError or a refusal of the procedure becomes the
  // error page (or, for the script's JSON calls, the contract's error body).
  // A browser without a CSRF cookie gets one with this answer; the request
  // is given the same value first, so the page's forms carry it (and a form
  // posted without the cookie still does not match).
  http::Response guarded(http::Request& request, http::Response (Pages::*member)(http::Request&)) {
    std::optional<std::string> issued;
    if (!csrf_token_of(request)) {
      issued = new_csrf_token();
      request.headers.add("Cookie", std::string(kCsrfCookie) + "=" + *issued);
    }
    auto response = answer(request, member);
    with_security_headers(response);
    if (issued) response.headers.add("Set-Cookie", csrf_cookie(*issued, s_.settings.tls));
    return response;
  }

  http::Response answer(http::Request& request, http::Response (Pages::*member)(http::Request&)) {
    try {
      return (this->*member)(request);
    } catch (const PageError& e) {
      return error_response(request, e);
    } catch (const http::ApiError& e) {  // a script call's body: 415, 400 (parse_json_body)
      return http::Response::error(e);
    } catch (const ProcedureError& e) {
      auto error = PageError{status_of(e.kind()), e.code(), e.message()};
      if (wants_json(request)) {
        http::ApiError api(error.status, error.code, error.message, problems_json(e.problems()));
        if (!e.allowed().empty()) api.with_detail("allowed", e.allowed());
        return http::Response::error(api);
      }
      return error_response(request, error);
    }
  }

  static bool wants_json(const http::Request& request) {
    const auto type = request.header("Content-Type");
    return request.method == "POST" && type && http::is_json_content_type(*type);
  }

  PageError page_error(int status, const std::string& code, const std::map<std::string, std::string>& params = {}) {
    return PageError{status, code, web_messages().render(code, params)};
  }

  http::Response error_response(http::Request& request, const PageError& e) {
    if (wants_json(request)) {
      return http::Response::error(http::ApiError(e.status, e.code, e.message));
    }
    const auto language = page_language(request);
    json context = base_context(request, language, current_actor(request));
    context["title"] = s_.templates.wording(language).value("error_title", "");
    context["error"] = {{"code", e.code}, {"text", e.message.in(language)}};
    return html(e.status, "error", language, std::move(context));
  }

  void with_security_headers(http::Response& response) const {
    response.headers.set("Content-Security-Policy", csp_);
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Referrer-Policy", "no-referrer");
    response.headers.set("X-Frame-Options", "DENY");
    if (!response.headers.contains("Cache-Control")) response.headers.set("Cache-Control", "no-store");
  }

  std::optional<Actor> current_actor(const http::Request& request) const {
    const auto token = request_cookie(request, kSessionCookie);
    if (!token || token->empty()) return std::nullopt;
    return s_.session_check(*token);
  }

  Actor require_actor(const http::Request& request) const {
    auto actor = current_actor(request);
    if (!actor) throw PageError{401, "web.login_required", web_messages().render("web.login_required", {})};
    return *actor;
  }

  Actor require_officer(const http::Request& request) {
    auto actor = require_actor(request);
    if (!actor.is_officer()) throw page_error(403, "web.officers_only");
    return actor;
  }

  void require_csrf(const http::Request& request, std::string_view presented) {
    if (!csrf_matches(request, presented)) throw page_error(403, "web.csrf");
  }

  json base_context(http::Request& request, Language language, const std::optional<Actor>& actor) {
    json context;
    context["csrf"] = csrf_token_of(request).value_or("");
    context["ncalayer_url"] = s_.settings.ncalayer_url;
    if (actor) {
      context["user"] = {
          {"iin", actor->iin}, {"bin", actor->bin}, {"name", actor->name}, {"is_officer", actor->is_officer()}};
    }
    json languages = json::array();
    const auto here = http::percent_encode(local_path_or_root(request.target), "/");
    for (const auto other : {Language::kk, Language::ru}) {
      const std::string code = other == Language::kk ? "kk" : "ru";
      languages.push_back({{"code", code},
                           {"name", s_.templates.wording(other).value("lang_name", code)},
                           {"href", "/lang/" + code + "?next=" + here},
                           {"current", other == language}});
    }
    context["languages"] = std::move(languages);
    return context;
  }

  http::Response html(int status, const std::string& page, Language language, json context) {
    auto response = http::Response::text(status, s_.templates.render(page, language, std::move(context)),
                                         "text/html; charset=utf-8");
    return response;
  }

  http::Response redirect(const std::string& location) {
    http::Response response;
    response.status = 303;
    response.headers.set("Location", location);
    response.headers.set("Content-Type", "text/plain; charset=utf-8");
    return response;
  }

  // A GET page that needs a login sends the browser to it instead.
  std::optional<http::Response> to_login_if_anonymous(http::Request& request) {
    if (current_actor(request)) return std::nullopt;
    return redirect("/login");
  }

  // --- login, logout, language, static files ---------------------------------

  http::Response home(http::Request& request) {
    const auto actor = current_actor(request);
    if (!actor) return redirect("/login");
    return redirect(actor->is_officer() ? "/desk" : "/cabinet");
  }

  http::Response login_page(http::Request& request) { return login_form(request, 200, std::nullopt); }

  http::Response login_form(http::Request& request, int status, const std::optional<PageError>& error) {
    const auto language = page_language(request);
    json context = base_context(request, language, std::nullopt);
    context["title"] = s_.templates.wording(language).value("login_title", "");
    if (error) context["error"] = {{"code", error->code}, {"text", error->message.in(language)}};
    return html(status, "login", language, std::move(context));
  }

  static std::map<std::string, std::string> form_fields(const http::Request& request) {
    const auto type = request.header("Content-Type");
    if (!type || type->find("application/x-www-form-urlencoded") == std::string_view::npos) return {};
    std::map<std::string, std::string> out;
    if (const auto items = http::parse_query(request.body))
      for (const auto& [name, value] : *items) out.emplace(name, value);
    return out;
  }

  http::Response login(http::Request& request) {
    const auto form = form_fields(request);
    const auto csrf = form.find(kCsrfField);
    require_csrf(request, csrf == form.end() ? "" : csrf->second);
    const auto token = form.find("token");
    const auto actor = token == form.end() || token->second.empty() ? std::nullopt : s_.session_check(token->second);
    if (!actor) return login_form(request, 401, page_error(401, "web.session_refused"));
    auto response = redirect(actor->is_officer() ? "/desk" : "/cabinet");
    response.headers.add("Set-Cookie", session_cookie(token->second, s_.settings.tls, s_.settings.session_seconds));
    response.log_fields["subject"] = actor->iin;
    return response;
  }

  http::Response logout(http::Request& request) {
    const auto form = form_fields(request);
    const auto csrf = form.find(kCsrfField);
    require_csrf(request, csrf == form.end() ? "" : csrf->second);
    auto response = redirect("/login");
    response.headers.add("Set-Cookie", expired_session_cookie(s_.settings.tls));
    return response;
  }

  http::Response switch_language(http::Request& request) {
    const auto language = i18n::language_from(request.param("code"));
    if (!language || *language == Language::en) throw page_error(404, "web.not_found");
    auto response = redirect(local_path_or_root(request.query("next").value_or("/")));
    response.headers.add("Set-Cookie", language_cookie(*language, s_.settings.tls));
    return response;
  }

  http::Response static_file(http::Request& request) {
    const auto& name = request.param("name");
    http::Response response;
    if (name == "qujat.js") {
      response = http::Response::text(200, script_, "text/javascript; charset=utf-8");
    } else if (name == "qujat.css") {
      response = http::Response::text(200, style_, "text/css; charset=utf-8");
    } else {
      throw page_error(404, "web.not_found");
    }
    response.headers.set("Cache-Control", "no-cache");
    return response;
  }

  // Browsers ask for it on every page that names none (the verification
  // page); no content, so their consoles stay clean.
  http::Response no_icon(http::Request&) {
    http::Response response;
    response.status = 204;
    response.headers.set("Cache-Control", "max-age=86400");
    return response;
  }

  // --- the applicant's cabinet ----------------------------------------------

  json summary_row(const store::ApplicationRecord& a, Language language, const std::string& link) const {
    auto row = workflow::summary_json(a, procedure_);
    row["kind_label"] = s_.templates.label(language, "kinds", a.kind);
    row["state_label"] = s_.templates.label(language, "states", row["state"]);
    row["link"] = link + a.id;
    const auto due = parse_date(row.value("due_on", ""));
    row["overdue"] = due && *due < s_.office.today() && !closed(a.state);
    return row;
  }

  static bool closed(store::ApplicationState state) {
    using S = store::ApplicationState;
    return state == S::issued || state == S::refused || state == S::returned;
  }

  http::Response cabinet(http::Request& request) {
    if (auto login = to_login_if_anonymous(request)) return *login;
    const auto actor = require_actor(request);
    const auto language = page_language(request);
    json rows = json::array();
    for (const auto& a : procedure_.cabinet(actor)) rows.push_back(summary_row(a, language, "/cabinet/applications/"));
    json context = base_context(request, language, actor);
    context["title"] = s_.templates.wording(language).value("cabinet_title", "");
    context["has_applications"] = !rows.empty();
    context["applications"] = std::move(rows);
    return html(200, "cabinet", language, std::move(context));
  }

  http::Response new_application(http::Request& request) {
    if (auto login = to_login_if_anonymous(request)) return *login;
    const auto actor = require_actor(request);
    const auto language = page_language(request);
    json kinds = json::array();
    for (const char* kind : {"export-licence", "import-licence", "general-export-licence", "reexport-permit", "euc",
                             "iic", "classification-conclusion", "trade-export-licence", "trade-import-licence"})
      kinds.push_back({{"code", kind}, {"label", s_.templates.label(language, "kinds", kind)}});
    json context = base_context(request, language, actor);
    context["title"] = s_.templates.wording(language).value("new_title", "");
    context["kinds"] = std::move(kinds);
    return html(200, "new", language, std::move(context));
  }

  // The script's calls: JSON in, JSON out, the CSRF token in X-CSRF-Token.
  json json_call(const http::Request& request) {
    require_csrf(request, request.header(kCsrfHeader).value_or(""));
    return http::parse_json_body(request);
  }

  http::Response check(http::Request& request) {
    const auto body = json_call(request);
    require_actor(request);
    if (!body.is_object() || !body.contains("application") || !body["application"].is_object())
      throw page_error(400, "web.bad_form", {{"field", "application"}});
    const auto report = model::check_submission(body["application"]);
    return http::Response::json(200, {{"problems", problems_json(report.problems)}});
  }

  http::Response submit(http::Request& request) {
    const auto body = json_call(request);
    const auto actor = require_actor(request);
    if (!body.is_object() || !body.contains("cms") || !body["cms"].is_string())
      throw page_error(400, "web.bad_form", {{"field", "cms"}});
    workflow::Submission submission;
    const auto cms = base64_decode(body["cms"].get<std::string>());
    if (!cms) throw page_error(400, "web.bad_form", {{"field", "cms"}});
    submission.signed_application = *cms;
    if (body.contains("files")) {
      if (!body["files"].is_object()) throw page_error(400, "web.bad_form", {{"field", "files"}});
      for (const auto& [hash, content] : body["files"].items()) {
        const auto bytes = content.is_string() ? base64_decode(content.get<std::string>()) : std::nullopt;
        if (!bytes) throw page_error(400, "web.bad_file", {{"field", "files/" + hash}});
        submission.files.emplace(hash, *bytes);
      }
    }
    const auto record = workflow::Intake(s_.office).submit(submission, actor);
    auto response = http::Response::json(201, {{"id", record.id},
                                               {"state", std::string(store::name(record.state))},
                                               {"registered_on", format_date(record.registered_on)},
                                               {"due_on", format_date(record.due_on)},
                                               {"url", "/cabinet/applications/" + record.id}});
    response.log_fields["subject"] = actor.iin;
    return response;
  }

  // The application as workflow::to_json gives it, with labels in the page's language.
  json application_context(const workflow::ApplicationView& view, Language language, bool for_officer) const {
    auto data = workflow::to_json(view, procedure_, s_.engine, for_officer);
    data["kind_label"] = s_.templates.label(language, "kinds", data.value("kind", ""));
    data["state_label"] = s_.templates.label(language, "states", data.value("state", ""));
    const auto due = parse_date(data.value("due_on", ""));
    data["overdue"] = due && *due < s_.office.today() && !closed(view.application.state);
    for (auto& event : data["history"]) {
      event["action_label"] = s_.templates.label(language, "actions", event.value("action", ""));
      event["state_label"] = s_.templates.label(language, "states", event.value("state", ""));
    }
    for (auto& document : data["documents"]) {
      const std::string number = document.value("number", "");
      document["kind_label"] = s_.templates.label(language, "kinds", document.value("kind", ""));
      document["state_label"] = s_.templates.label(language, "document_states", document.value("state", ""));
      document["pdf_link"] = "/cabinet/documents/" + number + ".pdf";
      document["xml_link"] = "/cabinet/documents/" + number + ".xml";
    }
    data["has_documents"] = !data["documents"].empty();
    return data;
  }

  http::Response application(http::Request& request) {
    if (auto login = to_login_if_anonymous(request)) return *login;
    const auto actor = require_actor(request);
    const auto language = page_language(request);
    const auto view = procedure_.view(request.param("id"), actor);
    json context = base_context(request, language, actor);
    context["title"] = s_.templates.wording(language).value("application_title", "");
    context["application"] = application_context(view, language, false);
    return html(200, "application", language, std::move(context));
  }

  http::Response document_file(http::Request& request, bool pdf) {
    const auto actor = require_actor(request);
    const auto document = procedure_.document(request.param("number"), actor, true);
    http::Response response;
    if (pdf) {
      response = http::Response::text(200, std::string(as_chars(document.pdf)), "application/pdf");
    } else {
      response = http::Response::text(200, document.xml, "application/xml; charset=utf-8");
    }
    response.headers.set("Content-Disposition",
                         "attachment; filename=\"" + document.number + (pdf ? ".pdf" : ".xml") + "\"");
    return response;
  }
  http::Response document_pdf(http::Request& request) { return document_file(request, true); }
  http::Response document_xml(http::Request& request) { return document_file(request, false); }

  // --- the officer desk -------------------------------------------------------

  http::Response desk(http::Request& request) {
    if (auto login = to_login_if_anonymous(request)) return *login;
    const auto officer = require_officer(request);
    const auto language = page_language(request);
    std::optional<store::ApplicationState> state;
    if (const auto wanted = request.query("state"); wanted && !wanted->empty()) {
      state = store::parse_application_state(*wanted);
      if (!state) throw page_error(400, "web.bad_form", {{"field", "state"}});
    }
    json rows = json::array();
    for (const auto& a : procedure_.queue(officer, state)) {
      auto row = summary_row(a, language, "/desk/applications/");
      row["applicant"] = a.owner_bin.empty() ? a.owner_iin : a.owner_bin;
      rows.push_back(std::move(row));
    }
    json context = base_context(request, language, officer);
    context["title"] = s_.templates.wording(language).value("desk_title", "");
    context["has_applications"] = !rows.empty();
    context["applications"] = std::move(rows);
    return html(200, "desk", language, std::move(context));
  }

  http::Response desk_page(http::Request& request, const Actor& officer, int status,
                           const std::optional<PageError>& error, bool done) {
    const auto language = page_language(request);
    const auto view = procedure_.view(request.param("id"), officer);
    auto data = application_context(view, language, true);
    json actions = json::array();
    for (const auto& action : view.allowed_actions) {
      json entry = {{"name", action}, {"label", s_.templates.label(language, "actions", action)}};
      entry["is_" + action] = true;
      actions.push_back(std::move(entry));
    }
    data["actions"] = std::move(actions);
    data["has_actions"] = !view.allowed_actions.empty();
    json files = json::array();
    if (view.application.data.contains("attachments") && view.application.data["attachments"].is_array())
      for (const auto& a : view.application.data["attachments"])
        files.push_back(
            {{"type", a.value("type", "")}, {"number", a.value("number", "")}, {"sha256", a.value("sha256", "")}});
    data["files"] = std::move(files);
    json signers = json::array();
    if (view.application.intake.contains("signatures"))
      for (const auto& s : view.application.intake["signatures"]) {
        const auto& signer = s.contains("signer") ? s["signer"] : json::object();
        signers.push_back({{"name", signer.value("common_name", "")},
                           {"iin", signer.value("iin", "")},
                           {"bin", signer.value("bin", "")},
                           {"valid", s.value("valid", false)}});
      }
    data["signers"] = std::move(signers);
    data["has_guarantee_checks"] = !view.guarantee_checks.empty();
    // What the answer and document fields of the action forms offer.
    json open_checks = json::array();
    for (const auto& check : view.guarantee_checks)
      if (check.value("answer", json()).is_null()) open_checks.push_back({{"id", check.value("id", "")}});
    data["open_checks"] = std::move(open_checks);
    json valid_documents = json::array();
    for (const auto& d : view.documents)
      if (d.state == store::DocumentState::valid) valid_documents.push_back({{"number", d.number}});
    data["valid_documents"] = std::move(valid_documents);
    // A request not yet delivered to the MFA shows its attempts and, once
    // one failed, why, in the page's language (templates/messages/mfa.json),
    // as the desk API's last_error_explained does.
    const auto undelivered = mfa::undelivered_messages(s_.office.db, view.application.id);
    for (auto& check : data["guarantee_checks"]) {
      const auto message = undelivered.find(check.value("id", ""));
      if (message == undelivered.end()) continue;
      const auto& m = message->second;
      json delivery = {{"state", m.state}, {"attempts", m.attempts}, {"parked", m.state == "parked"}};
      if (m.last_error) {
        const auto error = mfa::attempt_error(*m.last_error);
        delivery["has_error"] = true;
        delivery["code"] = error.code;
        delivery["error"] = error.message.in(language);
        delivery["detail"] = error.detail;
      }
      check["delivery"] = std::move(delivery);
    }
    json context = base_context(request, language, officer);
    context["title"] = s_.templates.wording(language).value("application_title", "");
    context["application"] = std::move(data);
    if (error) context["error"] = {{"code", error->code}, {"text", error->message.in(language)}};
    if (done) context["done"] = true;
    return html(status, "desk_application", language, std::move(context));
  }

  http::Response desk_application(http::Request& request) {
    if (auto login = to_login_if_anonymous(request)) return *login;
    const auto officer = require_officer(request);
    return desk_page(request, officer, 200, std::nullopt, request.query("done").has_value());
  }

  // The action's fields from the form: what API.md names for it, plus an
  // optional JSON object of further fields and the free-text reason.
  json action_body(const std::map<std::string, std::string>& form, const std::string& action) {
    json body = json::object();
    if (const auto it = form.find("details"); it != form.end() && !it->second.empty()) {
      try {
        body = json::parse(it->second);
      } catch (const json::exception&) {
        throw page_error(422, "web.bad_form", {{"field", "details"}});
      }
      if (!body.is_object()) throw page_error(422, "web.bad_form", {{"field", "details"}});
    }
    const auto field = [&](const char* name) {
      const auto it = form.find(name);
      return it == form.end() ? std::string() : it->second;
    };
    // The form fields of each action and the body members API.md names for
    // them. A field left empty is not sent; a Kazakh and Russian pair
    // (`prefix_kk`, `prefix_ru`) becomes one {"kk", "ru"} member, and with
    // one of the two empty it reaches the procedure, which names the member;
    // return's reasons are a list of such pairs.
    enum class Shape { text, bilingual, bilingual_list };
    struct FormField {
      const char* action;  // nullptr: every action
      const char* field;
      const char* member;
      Shape shape;
    };
    static constexpr FormField kFields[] = {
        {nullptr, "reason", "reason", Shape::text},
        {"record_approval", "approval_body", "body", Shape::bilingual},
        {"record_approval", "letter_number", "letter_number", Shape::text},
        {"record_approval", "letter_date", "letter_date", Shape::text},
        {"record_risk_assessment", "level", "level", Shape::text},
        {"record_risk_assessment", "conclusion", "conclusion", Shape::bilingual},
        {"record_mfa_answer", "check_id", "check_id", Shape::text},
        {"record_mfa_answer", "answer", "answer", Shape::text},
        {"preliminary_refusal", "place", "place", Shape::bilingual},
        {"preliminary_refusal", "online", "online", Shape::text},
        {"record_hearing", "minutes", "minutes", Shape::bilingual},
        {"refuse", "unheard_grounds_reason", "unheard_grounds_reason", Shape::text},
        {"reissue", "number", "number", Shape::text},
        {"revoke", "number", "number", Shape::text},
        {"return", "return_reason", "reasons", Shape::bilingual_list},
    };
    for (const auto& f : kFields) {
      if (f.action != nullptr && action != f.action) continue;
      if (f.shape == Shape::text) {
        if (!field(f.field).empty()) body[f.member] = field(f.field);
        continue;
      }
      const auto kk = field((std::string(f.field) + "_kk").c_str());
      const auto ru = field((std::string(f.field) + "_ru").c_str());
      if (kk.empty() && ru.empty()) continue;
      const json pair = {{"kk", kk}, {"ru", ru}};
      body[f.member] = f.shape == Shape::bilingual ? pair : json::array({pair});
    }
    // Two members are yes or no.
    if (action == "accept" && field("override") == "yes") body["override"] = true;
    if (action == "record_hearing" && (field("attended") == "yes" || field("attended") == "no"))
      body["attended"] = field("attended") == "yes";
    if (!field("grounds").empty()) {
      json grounds = json::array();
      std::stringstream list(field("grounds"));
      std::string item;
      while (std::getline(list, item, ',')) {
        try {
          std::size_t used = 0;
          const int n = std::stoi(item, &used);
          grounds.push_back(n);
        } catch (const std::exception&) {
          throw page_error(422, "web.bad_form", {{"field", "grounds"}});
        }
      }
      body["grounds"] = std::move(grounds);
    }
    if (!field("hearing_at").empty()) body["hearing_at"] = field("hearing_at");
    return body;
  }

  http::Response act(http::Request& request) {
    const auto form = form_fields(request);
    const auto csrf = form.find(kCsrfField);
    require_csrf(request, csrf == form.end() ? "" : csrf->second);
    const auto officer = require_officer(request);
    const auto action = form.find("action");
    if (action == form.end() || action->second.empty()) throw page_error(422, "web.bad_form", {{"field", "action"}});
    const auto id = request.param("id");
    try {
      const auto confirm = form.find("confirm");
      if (confirm == form.end() || confirm->second != "yes") throw page_error(422, "web.confirmation_missing");
      workflow::ActionRequest act{action->second, action_body(form, action->second), {}};
      procedure_.act(id, act, officer);
    } catch (const PageError& e) {
      return desk_page(request, officer, e.status, e, false);
    } catch (const ProcedureError& e) {
      if (e.kind() == ProcedureError::Kind::not_found) throw;
      return desk_page(request, officer, status_of(e.kind()), PageError{status_of(e.kind()), e.code(), e.message()},
                       false);
    }
    auto response =
        redirect("/desk/applications/" + http::percent_encode(id) + "?done=" + http::percent_encode(action->second));
    response.log_fields["subject"] = officer.iin;
    return response;
  }

  const PageServices& s_;
  workflow::Procedure procedure_;
  std::string csp_;
  std::string script_;
  std::string style_;
};

}  // namespace

std::string content_security_policy(const PageSettings& settings) {
  return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
         "connect-src 'self' " +
         settings.ncalayer_url + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
}

void add_pages(http::Router& router, const PageServices& services) {
  // Every handler holds the one Pages, so it lives as long as the routes.
  std::make_shared<Pages>(services)->add_routes(router);
}

}  // namespace qujat::web
