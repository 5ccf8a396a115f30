#include "qujat/api/service.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "api/verify_page.h"
#include "qujat/common/time.h"
#include "qujat/http/api_error.h"
#include "qujat/http/json_body.h"
#include "qujat/http/response.h"
#include "qujat/store/applications.h"
#include "qujat/store/documents.h"
#include "qujat/store/outbox.h"
#include "qujat/workflow/intake.h"
#include "qujat/workflow/procedure.h"
#include "qujat/workflow/procedure_error.h"
#include "qujat/workflow/verification.h"

namespace qujat::api {
namespace {

using workflow::Actor;
using Handler = std::function<http::Response(http::Request&, const Actor&)>;

// A request field that is missing or of the wrong form: 422 naming it.
http::ApiError bad_field(const std::string& path, const std::string& problem) {
  const auto& m = api_messages();
  auto e = http::ApiError::from(m, 422, "request.invalid", {{"field", path}});
  nlohmann::json p = {{"path", path},
                      {"code", problem},
                      {"params", {{"field", path}}},
                      {"message", m.render(problem, {{"field", path}}).to_json()}};
  e.with_problems(nlohmann::json::array({p}));
  return e;
}

http::ApiError from_procedure(const workflow::ProcedureError& e) {
  using Kind = workflow::ProcedureError::Kind;
  int status = 422;
  switch (e.kind()) {
    case Kind::invalid:
    case Kind::signature:
      status = 422;
      break;
    case Kind::not_found:
      status = 404;
      break;
    case Kind::not_allowed:
      status = 409;
      break;
    case Kind::forbidden:
      status = 403;
      break;
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : e.problems())
    problems.push_back({{"path", p.path}, {"code", p.code}, {"params", p.params}, {"message", p.message.to_json()}});
  http::ApiError out(status, e.code(), e.message(), std::move(problems));
  if (!e.allowed().empty()) out.with_detail("allowed", e.allowed());
  return out;
}

const std::string& string_field(const nlohmann::json& body, const std::string& name) {
  const auto it = body.find(name);
  if (it == body.end()) throw bad_field("/" + name, "request.missing");
  if (!it->is_string()) throw bad_field("/" + name, "request.not_string");
  return it->get_ref<const std::string&>();
}

Bytes base64_field(const nlohmann::json& body, const std::string& name) {
  auto bytes = base64_decode(string_field(body, name));
  if (!bytes || bytes->empty()) throw bad_field("/" + name, "request.not_base64");
  return std::move(*bytes);
}

// {"SHA256HEX": "BASE64", ...} -> files (the workflow checks the hashes).
std::map<std::string, Bytes> files_field(const nlohmann::json& body, const std::string& name) {
  std::map<std::string, Bytes> files;
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return files;
  if (!it->is_object()) throw bad_field("/" + name, "request.not_object");
  for (const auto& [hash, value] : it->items()) {
    const std::string path = "/" + name + "/" + hash;
    if (!value.is_string()) throw bad_field(path, "request.not_string");
    auto bytes = base64_decode(value.get_ref<const std::string&>());
    if (!bytes) throw bad_field(path, "request.not_base64");
    files.emplace(hash, std::move(*bytes));
  }
  return files;
}

nlohmann::json object_body(const http::Request& request) {
  auto body = http::parse_json_body(request);
  if (!body.is_object()) throw bad_field("", "request.not_object");
  return body;
}

std::string safe_file_name(std::string_view number) {
  std::string out;
  for (const char c : number) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return out;
}

bool wants_json(const http::Request& request) {
  const auto accept = request.header("Accept");
  return accept && accept->find("application/json") != std::string_view::npos;
}

// RFC 3339 in Asia/Almaty (+05:00), as API.md asks.
std::string almaty_time(Instant at) { return format_instant_local(at); }

}  // namespace

std::string_view name(Access access) {
  switch (access) {
    case Access::open:
      return "open";
    case Access::signed_in:
      return "signed_in";
    case Access::applicant:
      return "applicant";
    case Access::officer:
      return "officer";
  }
  return "officer";
}

struct Service::Impl {
  workflow::OfficeRuntime& runtime;
  const EdsLogin& login;
  http::MetricsRegistry& metrics;
  ServiceOptions options;
  workflow::Procedure procedure;
  workflow::Intake intake;
  VerifyPage page;
  http::Family<http::Counter>& issued;
  http::Family<http::Counter>& verifications;

  struct Route {
    RouteSpec spec;
    Handler handler;
    http::RouteOptions options;
  };
  std::vector<Route> table;

  Impl(workflow::OfficeRuntime& r, const EdsLogin& l, http::MetricsRegistry& m, ServiceOptions o)
      : runtime(r),
        login(l),
        metrics(m),
        options(o),
        procedure(r.office()),
        intake(r.office()),
        page(r.engine().templates()),
        issued(m.counter("qujat_documents_issued_total", "Documents issued (signed and stored), by kind", {"kind"})),
        verifications(m.counter("qujat_verifications_total",
                                "Verifications: POST /api/v1/verify by report, /verify/{number} by document state",
                                {"source", "result"})) {
    auto* db = &r.database();
    m.gauge_callback("qujat_outbox_depth", "Outbox messages not yet delivered (pending and parked)", [db] {
      std::int64_t total = 0;
      db->read([&](store::Transaction& tx) {
        for (const auto& [topic, n] : store::Outbox::depth(tx)) total += n;
      });
      return static_cast<double>(total);
    });
    declare();
  }

  void add(std::string method, std::string pattern, Access access, Handler handler, http::RouteOptions o = {}) {
    table.push_back({{std::move(method), std::move(pattern), access}, std::move(handler), o});
  }

  // The rule of a route, enforced before its handler.
  http::Handler guarded(const Route& route) const {
    return [this, access = route.spec.access, handler = route.handler](http::Request& request) -> http::Response {
      Actor actor;
      if (access != Access::open) {
        actor = login.authenticate(request);
        if (access == Access::officer && !actor.is_officer())
          throw http::ApiError::from(api_messages(), 403, "auth.officers_only");
        if (access == Access::applicant && !actor.has_role("applicant"))
          throw http::ApiError::from(api_messages(), 403, "auth.applicants_only");
      }
      try {
        auto response = handler(request, actor);
        if (!actor.iin.empty()) response.log_fields["subject"] = actor.iin;
        return response;
      } catch (const workflow::ProcedureError& e) {
        auto response = http::Response::error(from_procedure(e));
        if (!actor.iin.empty()) response.log_fields["subject"] = actor.iin;
        return response;
      }
    };
  }

  nlohmann::json document_json(const store::DocumentRecord& d) const {
    nlohmann::json out = {{"number", d.number},
                          {"kind", d.kind},
                          {"issued_on", format_date(d.issued_on)},
                          {"state", std::string(store::name(d.state))},
                          {"xml", "/api/v1/documents/" + d.number + ".xml"},
                          {"pdf", "/api/v1/documents/" + d.number + ".pdf"},
                          {"verify_url", runtime.engine().verification_url(d.number, d.verification_code)}};
    if (d.application_id) out["application_id"] = *d.application_id;
    if (d.valid_from) out["valid_from"] = format_date(*d.valid_from);
    if (d.valid_until) out["valid_until"] = format_date(*d.valid_until);
    if (d.supersedes) out["supersedes"] = *d.supersedes;
    if (d.superseded_by) out["superseded_by"] = *d.superseded_by;
    return out;
  }

  void declare() {
    auto& db = runtime.database();

    // --- EDS login ---
    add("POST", "/api/v1/auth/challenge", Access::open, [this](http::Request&, const Actor&) {
      const auto c = login.challenge();
      return http::Response::json(200, {{"nonce", c.nonce}, {"expires_at", almaty_time(c.expires_at)}});
    });
    add("POST", "/api/v1/auth/token", Access::open, [this](http::Request& request, const Actor&) {
      const auto body = object_body(request);
      IssuedToken t;
      if (body.contains("cms"))
        t = login.login_with_cms(base64_field(body, "cms"));
      else if (body.contains("xml"))
        t = login.login_with_xml(string_field(body, "xml"));
      else
        throw bad_field("/cms", "request.missing");
      auto response = http::Response::json(
          200,
          {{"token", t.token},
           {"expires_at", almaty_time(t.expires_at)},
           {"subject",
            {{"iin", t.subject.iin}, {"bin", t.subject.bin}, {"name", t.subject.name}, {"roles", t.subject.roles}}}});
      response.headers.set("Cache-Control", "no-store");
      response.log_fields["subject"] = t.subject.iin;
      return response;
    });
    add("GET", "/api/v1/me", Access::signed_in, [](http::Request&, const Actor& a) {
      return http::Response::json(200, {{"iin", a.iin}, {"bin", a.bin}, {"name", a.name}, {"roles", a.roles}});
    });

    // --- Applicant ---
    add("POST", "/api/v1/applications", Access::applicant, [this](http::Request& request, const Actor& a) {
      const auto body = object_body(request);
      workflow::Submission submission{base64_field(body, "cms"), files_field(body, "files")};
      const auto record = intake.submit(submission, a);
      auto response = http::Response::json(201, workflow::summary_json(record, procedure));
      response.headers.set("Location", "/api/v1/applications/" + record.id);
      return response;
    });
    add("GET", "/api/v1/applications", Access::applicant, [this](http::Request&, const Actor& a) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& record : procedure.cabinet(a)) items.push_back(workflow::summary_json(record, procedure));
      return http::Response::json(200, {{"items", items}});
    });
    add("GET", "/api/v1/applications/{id}", Access::signed_in, [this](http::Request& request, const Actor& a) {
      const auto view = procedure.view(request.param("id"), a);
      // Written as text directly: the service's most frequent answer.
      return http::Response::text(200, workflow::to_json_text(view, procedure, runtime.engine(), a.is_officer()),
                                  http::kJsonContentType);
    });
    add("GET", "/api/v1/applications/{id}/files/{sha256}", Access::officer,
        [this, &db](http::Request& request, const Actor& a) {
          procedure.view(request.param("id"), a);  // 404 for an unknown application
          const auto file = db.read([&](store::Transaction& tx) {
            return store::ApplicationRegistry::file(tx, request.param("id"), request.param("sha256"));
          });
          if (!file) throw http::ApiError::from(api_messages(), 404, "file.not_found");
          auto response = http::Response::text(200, std::string(as_chars(*file)), "application/octet-stream");
          response.headers.set("Content-Disposition",
                               "attachment; filename=\"" + safe_file_name(request.param("sha256")) + "\"");
          return response;
        });

    // --- Officer ---
    add("POST", "/api/v1/applications/{id}/actions", Access::officer, [this](http::Request& request, const Actor& a) {
      auto body = object_body(request);
      workflow::ActionRequest action{string_field(body, "action"), {}, files_field(body, "documents")};
      body.erase("action");
      body.erase("documents");
      action.body = std::move(body);
      const auto outcome = procedure.act(request.param("id"), action, a);
      nlohmann::json issued_now = nlohmann::json::array();
      for (const auto& d : outcome.documents) {
        issued.with({d.kind}).add();
        issued_now.push_back(document_json(d));
      }
      auto out = workflow::to_json(procedure.view(request.param("id"), a), procedure, runtime.engine(), true);
      out["issued"] = std::move(issued_now);
      out["flags"] = outcome.flags;
      return http::Response::json(200, out);
    });
    add("GET", "/api/v1/desk/applications", Access::officer, [this](http::Request& request, const Actor& a) {
      std::optional<store::ApplicationState> state;
      if (const auto s = request.query("state"); s && !s->empty()) {
        state = store::parse_application_state(*s);
        if (!state) throw bad_field("?state", "request.unknown_state");
      }
      nlohmann::json items = nlohmann::json::array();
      for (const auto& record : procedure.queue(a, state)) {
        auto item = workflow::summary_json(record, procedure);
        item["owner"] = {{"iin", record.owner_iin}, {"bin", record.owner_bin}};
        item["overdue"] = procedure.displayed_due_on(record) < runtime.office().today();
        items.push_back(std::move(item));
      }
      return http::Response::json(200, {{"items", items}});
    });
    add("GET", "/api/v1/desk/mfa-checks", Access::officer, [&db](http::Request& request, const Actor&) {
      const std::string state(request.query("state").value_or("parked"));
      if (state != "pending" && state != "parked" && state != "delivered")
        throw bad_field("?state", "request.unknown_state");
      nlohmann::json items = nlohmann::json::array();
      for (const auto& m : mfa::check_messages(db, state)) items.push_back(mfa::to_json(m));
      return http::Response::json(200, {{"items", items}});
    });
    add("POST", "/api/v1/desk/mfa-checks/{id}/requeue", Access::officer,
        [this, &db](http::Request& request, const Actor&) {
          if (!mfa::requeue_message(db, request.param("id"), runtime.clock().now()))
            throw http::ApiError::from(api_messages(), 404, "mfa.message_not_parked");
          return http::Response::json(200, {{"id", request.param("id")}, {"state", "pending"}});
        });

    // The MFA's answers (docs/mfa.md): open, because the WS-Security
    // signature by the MFA's certificate is the caller's credential.
    add("POST", "/api/v1/mfa/callback", Access::open, [this](http::Request& request, const Actor&) {
      if (options.mfa == nullptr)
        return mfa::to_response({503,
                                 mfa::fault_envelope("mfa.callback.unavailable", "the MFA exchange is not configured"),
                                 "mfa.callback.unavailable"});
      return mfa::to_response(options.mfa->handle_callback(request.body));
    });

    // --- Documents ---
    add("GET", "/api/v1/documents/{number}", Access::signed_in, [this](http::Request& request, const Actor& a) {
      return http::Response::json(200, document_json(procedure.document(request.param("number"), a, false)));
    });
    add("GET", "/api/v1/documents/{number}.xml", Access::signed_in, [this](http::Request& request, const Actor& a) {
      const auto d = procedure.document(request.param("number"), a, true);
      auto response = http::Response::text(200, d.xml, "application/xml; charset=utf-8");
      response.headers.set("Content-Disposition", "attachment; filename=\"" + safe_file_name(d.number) + ".xml\"");
      return response;
    });
    add("GET", "/api/v1/documents/{number}.pdf", Access::signed_in, [this](http::Request& request, const Actor& a) {
      const auto d = procedure.document(request.param("number"), a, true);
      auto response = http::Response::text(200, std::string(as_chars(d.pdf)), "application/pdf");
      response.headers.set("Content-Disposition", "attachment; filename=\"" + safe_file_name(d.number) + ".pdf\"");
      return response;
    });
    add("POST", "/api/v1/documents/{number}/execution-reports", Access::applicant,
        [this](http::Request& request, const Actor& a) {
          // Another holder's licence is unknown before the report is even read.
          procedure.document(request.param("number"), a, false);
          const auto body = object_body(request);
          return http::Response::json(201, procedure.report_execution(request.param("number"), body, a));
        });

    // --- Public ---
    http::RouteOptions verify_limit;
    verify_limit.max_body_bytes = options.max_verify_bytes;
    add(
        "POST", "/api/v1/verify", Access::open,
        [this](http::Request& request, const Actor&) {
          if (request.body.empty()) throw bad_field("", "request.empty_body");
          const auto report = workflow::verify_signed_file(as_bytes(request.body), runtime.office().signatures);
          const int code = report.exit_code();
          verifications.with({"api", code == 0 ? "valid" : code == 2 ? "malformed" : "invalid"}).add();
          return http::Response::json(200, report.to_json());
        },
        verify_limit);
    add("GET", "/verify/{number}", Access::open, [this, &db](http::Request& request, const Actor&) {
      const auto number = request.param("number");
      const std::string code(request.query("code").value_or(""));
      auto record = db.read([&](store::Transaction& tx) { return store::DocumentRegistry::find(tx, number, false); });
      // A wrong code is an unknown document: the number alone reveals nothing.
      if (record && (code.size() != record->verification_code.size() ||
                     CRYPTO_memcmp(code.data(), record->verification_code.data(), code.size()) != 0))
        record.reset();
      verifications.with({"page", record ? std::string(store::name(record->state)) : "unknown"}).add();
      if (wants_json(request)) {
        if (!record) throw http::ApiError::from(api_messages(), 404, "document.unknown");
        auto facts = record->public_facts;
        facts["state"] = std::string(store::name(record->state));
        if (record->superseded_by) facts["superseded_by"] = *record->superseded_by;
        return http::Response::json(200, facts);
      }
      auto response = http::Response::text(record ? 200 : 404, page.render(request, number, code, record),
                                           "text/html; charset=utf-8");
      response.headers.set(
          "Content-Security-Policy",
          "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'");
      response.headers.set("X-Content-Type-Options", "nosniff");
      response.headers.set("Referrer-Policy", "no-referrer");
      return response;
    });
    add("GET", "/healthz", Access::open, [](http::Request&, const Actor&) { return http::health_response(); });
    add("GET", "/readyz", Access::open, [&db](http::Request&, const Actor&) {
      try {
        db.read([](store::Transaction& tx) { tx.query_row("SELECT 1"); });
        return http::readiness_response(true);
      } catch (const std::exception&) {
        return http::readiness_response(false, "store.unreachable");
      }
    });
    add("GET", "/metrics", Access::open,
        [this](http::Request&, const Actor&) { return http::metrics_response(metrics); });
  }
};

Service::Service(workflow::OfficeRuntime& runtime, const EdsLogin& login, http::MetricsRegistry& metrics,
                 ServiceOptions options)
    : impl_(std::make_shared<Impl>(runtime, login, metrics, options)) {}

Service::~Service() = default;

http::Router Service::router() const {
  http::Router router;
  for (const auto& route : impl_->table)
    router.add(route.spec.method, route.spec.pattern, impl_->guarded(route), route.options);
  return router;
}

std::vector<RouteSpec> Service::routes() const {
  std::vector<RouteSpec> out;
  for (const auto& route : impl_->table) out.push_back(route.spec);
  return out;
}

}  // namespace qujat::api
