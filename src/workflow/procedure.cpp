#include "qujat/workflow/procedure.h"

#include <openssl/rand.h>

#include <algorithm>
#include <set>

#include "qujat/common/bytes.h"
#include "qujat/common/json_text.h"
#include "qujat/i18n/template_root.h"
#include "qujat/model/decimal.h"
#include "qujat/store/audit.h"
#include "qujat/store/document_numbering.h"
#include "qujat/store/outbox.h"
#include "qujat/workflow/intake.h"
#include "qujat/workflow/procedure_error.h"
#include "qujat/workflow/qualification_requirements.h"
#include "workflow/decisions.h"
#include "workflow/transitions.h"

namespace qujat::workflow {
namespace {

using Kind = ProcedureError::Kind;
using State = store::ApplicationState;
using json = nlohmann::json;

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string text_field(const json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A reason an officer gives: required for the moves the law asks to justify.
std::string required_reason(const json& body) {
  auto reason = text_field(body, "reason");
  if (reason.empty()) throw ProcedureError(Kind::invalid, "action.reason_required", {{"field", "reason"}});
  if (reason.size() > 4000) throw ProcedureError(Kind::invalid, "action.field_too_long", {{"field", "reason"}});
  return reason;
}

std::optional<std::string> optional_reason(const json& body) {
  auto reason = text_field(body, "reason");
  if (reason.size() > 4000) throw ProcedureError(Kind::invalid, "action.field_too_long", {{"field", "reason"}});
  if (reason.empty()) return std::nullopt;
  return reason;
}

// Text given as {"kk", "ru"} or one string for both.
json bilingual_field(const json& body, const char* key, bool required) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) throw ProcedureError(Kind::invalid, "action.field_required", {{"field", key}});
    return nullptr;
  }
  if (it->is_string() && !it->get<std::string>().empty() && it->get<std::string>().size() <= 4000) return *it;
  if (it->is_object() && it->size() == 2 && it->contains("kk") && it->contains("ru") && (*it)["kk"].is_string() &&
      (*it)["ru"].is_string() && !(*it)["kk"].get<std::string>().empty() && !(*it)["ru"].get<std::string>().empty())
    return *it;
  throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", key}});
}

std::optional<Date> date_field(const json& body, const char* key, bool required) {
  const auto text = text_field(body, key);
  if (text.empty()) {
    if (required) throw ProcedureError(Kind::invalid, "action.field_required", {{"field", key}});
    return std::nullopt;
  }
  const auto d = parse_date(text);
  if (!d) throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", key}});
  return d;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) throw OpenSslError("procedure.random", "no random bytes");
  return hex_encode(ByteView(b.data(), b.size()));
}

// Working days d with from <= d < to.
int working_days_in(const WorkingCalendar& calendar, Date from, Date to) {
  int n = 0;
  for (auto d = std::chrono::sys_days(from); d < std::chrono::sys_days(to); d += std::chrono::days(1))
    if (calendar.is_working_day(Date(d))) ++n;
  return n;
}

// The working day `n` working days before `date`.
Date working_days_before(const WorkingCalendar& calendar, Date date, int n) {
  auto d = std::chrono::sys_days(date);
  while (n > 0) {
    d -= std::chrono::days(1);
    if (calendar.is_working_day(Date(d))) --n;
  }
  return Date(d);
}

Date add_calendar_years(Date date, int years) {
  std::chrono::year_month_day next{date.year() + std::chrono::years(years), date.month(), date.day()};
  if (!next.ok()) next = std::chrono::year_month_day_last(next.year(), std::chrono::month_day_last(next.month()));
  return next;
}

// The numbered grounds of a service's catalogue (templates/grounds/), with the
// redirect a service may have to a shared catalogue ("catalogue": "licence").
const json& grounds_catalogue(const i18n::TemplateRoot& templates, const std::string& service) {
  const auto& entry = templates.grounds(service);
  if (entry.contains("catalogue")) return templates.grounds(entry["catalogue"].get<std::string>());
  return entry;
}

struct Ground {
  int code;
  json details;  // {"kk", "ru"} or null
};

// "grounds": [12, 7] or [{"code": 12, "details": {...}}]: each a ground of the service's catalogue, once.
std::vector<Ground> parse_grounds(const json& body, const json& catalogue) {
  const auto it = body.find("grounds");
  if (it == body.end() || !it->is_array() || it->empty())
    throw ProcedureError(Kind::invalid, "action.field_required", {{"field", "grounds"}});
  std::set<int> known;
  for (const auto& g : catalogue.value("grounds", json::array())) known.insert(g.value("code", 0));
  std::vector<Ground> out;
  std::set<int> seen;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& g = (*it)[i];
    const std::string field = "grounds/" + std::to_string(i);
    Ground ground{0, nullptr};
    if (g.is_number_integer()) {
      ground.code = g.get<int>();
    } else if (g.is_object() && g.contains("code") && g["code"].is_number_integer()) {
      ground.code = g["code"].get<int>();
      if (g.contains("details")) ground.details = bilingual_field(g, "details", false);
    } else {
      throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", field}});
    }
    if (!known.contains(ground.code))
      throw ProcedureError(Kind::invalid, "ground.unknown", {{"field", field}, {"ground", std::to_string(ground.code)}});
    if (!seen.insert(ground.code).second)
      throw ProcedureError(Kind::invalid, "ground.repeated", {{"field", field}, {"ground", std::to_string(ground.code)}});
    out.push_back(std::move(ground));
  }
  return out;
}

json grounds_json(const std::vector<Ground>& grounds) {
  json out = json::array();
  for (const auto& g : grounds) {
    json entry = {{"code", g.code}};
    if (!g.details.is_null()) entry["details"] = g.details.is_string() ? json{{"kk", g.details}, {"ru", g.details}} : g.details;
    out.push_back(std::move(entry));
  }
  return out;
}

struct GuaranteeCheck {
  std::string id;
  std::string reason;
  std::string state;
  Instant requested_at;
  std::optional<Instant> sent_at;
  std::optional<std::string> answer;
  std::optional<Instant> answered_at;
};

std::vector<GuaranteeCheck> guarantee_checks(store::Transaction& tx, const std::string& application_id) {
  std::vector<GuaranteeCheck> out;
  for (const auto& row : tx.query(
           "SELECT id, reason, state, requested_at, sent_at, answer, answered_at FROM guarantee_checks "
           "WHERE application_id = ? ORDER BY requested_at, id",
           {application_id})) {
    GuaranteeCheck c{row.text(0), row.text(1), row.text(2), Instant(std::chrono::seconds(row.integer(3))), {}, {}, {}};
    if (const auto s = row.optional_integer(4)) c.sent_at = Instant(std::chrono::seconds(*s));
    c.answer = row.optional_text(5);
    if (const auto a = row.optional_integer(6)) c.answered_at = Instant(std::chrono::seconds(*a));
    out.push_back(std::move(c));
  }
  return out;
}

json checks_json(const std::vector<GuaranteeCheck>& checks) {
  json out = json::array();
  for (const auto& c : checks) {
    json entry = {{"id", c.id}, {"reason", c.reason}, {"state", c.state}, {"requested_at", almaty_time(c.requested_at)}};
    entry["sent_at"] = c.sent_at ? json(almaty_time(*c.sent_at)) : json(nullptr);
    entry["answer"] = c.answer ? json(*c.answer) : json(nullptr);
    entry["answered_at"] = c.answered_at ? json(almaty_time(*c.answered_at)) : json(nullptr);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

// --- reading --------------------------------------------------------------

Procedure::Procedure(const LicensingOffice& office) : office_(office) {}

bool Procedure::may_see(const Actor& viewer, const std::string& owner_iin, const std::string& owner_bin) {
  if (viewer.is_officer()) return true;
  if (!owner_iin.empty() && viewer.iin == owner_iin) return true;
  // An organisation's cabinet: its employees' keys carry its BIN.
  return !owner_bin.empty() && viewer.bin == owner_bin;
}

Date Procedure::displayed_due_on(const store::ApplicationRecord& a) const {
  if (!a.stopped_on) return a.due_on;
  const Date today = office_.today();
  const int standing = today < *a.stopped_on ? 0 : working_days_in(office_.calendar, *a.stopped_on,
                                                                     Date(std::chrono::sys_days(today) + std::chrono::days(1)));
  return office_.calendar.add_working_days(a.registered_on, static_cast<int>(a.term_days + a.stopped_days + standing));
}

std::vector<std::string> Procedure::allowed_actions(const store::ApplicationRecord& a) const {
  switch (a.state) {
    case State::registered: return {"accept", "return"};
    case State::under_review:
      return {"record_approval", "record_risk_assessment", "request_mfa_check", "preliminary_refusal", "issue"};
    case State::awaiting_mfa:
      return {"record_approval", "record_risk_assessment", "record_mfa_answer", "preliminary_refusal"};
    case State::preliminary_refusal: return {"record_hearing"};
    case State::heard: return {"issue", "refuse", "preliminary_refusal"};
    case State::issued: return {"reissue", "revoke"};
    case State::refused:
    case State::returned: return {};
  }
  return {};
}

ApplicationView Procedure::view(const std::string& id, const Actor& viewer) const {
  return office_.db.read([&](store::Transaction& tx) {
    // An applicant's view shows no application data: leave it unparsed.
    auto application = viewer.is_officer() ? store::ApplicationRegistry::find(tx, id)
                                           : store::ApplicationRegistry::find_status(tx, id);
    if (!application || !may_see(viewer, application->owner_iin, application->owner_bin))
      throw ProcedureError(Kind::not_found, "application.not_found");
    ApplicationView view;
    // An applicant's view shows neither the events' details nor the
    // documents' public facts; an officer's case view keeps them.
    view.history = store::ApplicationRegistry::events(tx, id, viewer.is_officer());
    view.documents = store::DocumentRegistry::of_application(tx, id, viewer.is_officer());
    if (viewer.is_officer()) {
      view.allowed_actions = allowed_actions(*application);
      view.guarantee_checks = checks_json(guarantee_checks(tx, id));
    }
    view.application = std::move(*application);
    return view;
  });
}

std::vector<store::ApplicationRecord> Procedure::cabinet(const Actor& viewer) const {
  return office_.db.read([&](store::Transaction& tx) {
    const bool organisation = !viewer.bin.empty();
    // An employee's key opens the organisation's cabinet; a person's key their own.
    return store::ApplicationRegistry::of_owner(tx, organisation ? "" : viewer.iin, viewer.bin);
  });
}

std::vector<store::ApplicationRecord> Procedure::queue(const Actor& officer,
                                                        std::optional<store::ApplicationState> state) const {
  if (!officer.is_officer()) throw ProcedureError(Kind::forbidden, "action.officers_only");
  return office_.db.read([&](store::Transaction& tx) { return store::ApplicationRegistry::queue(tx, state); });
}

store::DocumentRecord Procedure::document(const std::string& number, const Actor& viewer, bool with_files) const {
  return office_.db.read([&](store::Transaction& tx) {
    auto record = store::DocumentRegistry::find(tx, number, with_files);
    if (!record || !may_see(viewer, record->owner_iin, record->owner_bin))
      throw ProcedureError(Kind::not_found, "document.not_found");
    return std::move(*record);
  });
}

// --- acting ---------------------------------------------------------------

namespace {

// One action in flight: the application (locked), the office, the clock's
// today, and what the action produces.
class Case {
 public:
  Case(const LicensingOffice& office, const Procedure& procedure, store::Transaction& tx, store::ApplicationRecord& app,
       const Actor& officer, const ActionRequest& request)
      : office_(office),
        procedure_(procedure),
        tx_(tx),
        app_(app),
        officer_(officer),
        request_(request),
        body_(request.body),
        now_(office.clock.now()),
        today_(office.today()),
        kind_(*model::parse_kind(app.kind)),
        service_(office.rules.service(kind_)) {}

  ActionOutcome run() {
    const auto& a = request_.action;
    if (a == "accept") accept();
    else if (a == "return") give_back();
    else if (a == "record_approval") record_approval();
    else if (a == "record_risk_assessment") record_risk_assessment();
    else if (a == "request_mfa_check") request_mfa_check(required_reason(body_), true);
    else if (a == "record_mfa_answer") record_mfa_answer();
    else if (a == "preliminary_refusal") preliminary_refusal();
    else if (a == "record_hearing") record_hearing();
    else if (a == "issue") issue();
    else if (a == "refuse") refuse();
    else if (a == "reissue") reissue();
    else if (a == "revoke") revoke();
    outcome_.application = app_;
    return std::move(outcome_);
  }

 private:
  json& case_file() { return app_.case_file; }

  void move(State to, std::optional<std::string> reason, json details) {
    app_.state = to;
    if (!outcome_.flags.empty()) details["flags"] = outcome_.flags;
    Transition t{app_, request_.action, officer_.label(), std::move(reason), std::move(details)};
    write_transition(tx_, t, now_);
  }

  // Files an officer attaches to an action (letters of approving bodies,
  // hearing minutes), kept with the application.
  json attach_files() {
    json hashes = json::array();
    for (const auto& [hash, content] : request_.files) {
      store::ApplicationRegistry::add_file(tx_, app_.id, hash, content);
      hashes.push_back(hash);
    }
    return hashes;
  }

  std::string draw_number(model::Kind kind, Date date) {
    return store::DocumentNumbering(office_.issuance.engine().number_prefixes())
        .next(tx_, std::string(model::kind_name(kind)), static_cast<int>(date.year()));
  }

  // Issues one document of the office's decision, signed by the issuer key,
  // into the applicant's cabinet, in this transaction.
  store::DocumentRecord issue_document(const json& data, const std::string& number, std::optional<Validity> validity,
                                       std::optional<std::int64_t> fee, std::optional<std::string> supersedes) {
    const auto report = model::check_application(data);
    if (!report.ok()) {
      // Data the office built itself should always pass; if it does not, say which field.
      const auto& p = report.problems.front();
      throw ProcedureError(Kind::invalid, "decision.invalid_document", {{"field", p.path}, {"problem", p.code}}, {},
                           report.problems);
    }
    const auto application = model::Application::from_json(data);
    IssueOrder order;
    order.application = &application;
    order.number = number;
    order.issue_date = today_;
    order.signer = office_.issuer_key;
    order.issued_at = now_;
    order.application_id = app_.id;
    order.supersedes = std::move(supersedes);
    order.fee_tenge = fee;
    if (validity) {
      order.valid_from = validity->from;
      order.valid_until = validity->until;
    }
    auto issued = office_.issuance.issue(tx_, order);
    // The applicant's cabinet belongs to the application's owner, whoever the document names.
    if (issued.record.owner_iin != app_.owner_iin || issued.record.owner_bin != app_.owner_bin)
      tx_.execute("UPDATE documents SET owner_iin = ?, owner_bin = ? WHERE number = ?",
                  {app_.owner_iin.empty() ? store::Value(store::null) : store::Value(app_.owner_iin),
                   app_.owner_bin.empty() ? store::Value(store::null) : store::Value(app_.owner_bin), number});
    case_file()["issued"][number] = data;
    store::DocumentRecord record = issued.record;
    record.owner_iin = app_.owner_iin;
    record.owner_bin = app_.owner_bin;
    record.xml.clear();
    record.pdf.clear();
    outcome_.documents.push_back(record);
    return record;
  }

  // --- the completeness check ----------------------------------------------

  json completeness() {
    if (office_.requirements == nullptr)
      return json{{"missing_documents", json::array()}, {"expired_documents", json::array()}};
    const auto application = model::Application::from_submission(app_.data);
    auto report = office_.requirements->check(application, today_).to_json();
    case_file()["completeness"] = report;
    return report;
  }

  void accept() {
    const auto report = completeness();
    const bool complete =
        report.value("missing_documents", json::array()).empty() && report.value("expired_documents", json::array()).empty();
    json details = {{"completeness", report}};
    std::optional<std::string> reason = optional_reason(body_);
    if (!complete) {
      // An officer may confirm the package anyway, saying why (a document
      // the office obtains itself, a copy on file).
      if (!body_.value("override", false)) {
        std::vector<model::Problem> problems;
        for (const auto& m : report["missing_documents"])
          problems.push_back({"/attachments", "attachment.missing", {{"type", m.value("type", "")}},
                              procedure_messages().render("attachment.missing", {{"type", m.value("type", "")}})});
        for (const auto& m : report["expired_documents"])
          problems.push_back({"/attachments", "attachment.expired", {{"type", m.value("type", "")}},
                              procedure_messages().render("attachment.expired", {{"type", m.value("type", "")}})});
        throw ProcedureError(Kind::invalid, "completeness.incomplete", {}, {}, std::move(problems));
      }
      reason = required_reason(body_);
      outcome_.flags.push_back("completeness_overridden");
      case_file()["completeness_override"] = {{"by", officer_.label()}, {"reason", *reason}, {"at", almaty_time(now_)}};
    }
    move(State::under_review, reason, std::move(details));
    // The guarantee document goes to the MFA together with the requests to
    // the approving bodies where the service requires it (000: 300-316; 002: 151).
    if (mfa_required_at_acceptance()) request_mfa_check("required by the service rules", false);
  }

  bool mfa_required_at_acceptance() const {
    if (service_ == nullptr) return false;
    switch (service_->mfa) {
      case MfaRule::always: return true;
      case MfaRule::on_request: return false;
      case MfaRule::first_export_or_risk: {
        if (!service_->mfa_control_codes.empty()) {
          bool listed = false;
          for (const auto& item : app_.data.value("goods", json::array()))
            listed = listed || contains(service_->mfa_control_codes, item.value("control_code", ""));
          if (!listed) return false;
        }
        const auto flags = app_.data.value("flags", json::object());
        return flags.value("first_export_to_counterparty", false) || flags.value("risks_reported", false);
      }
    }
    return false;
  }

  void give_back() {
    // A refusal to consider further names every missing or expired document.
    auto report = completeness();
    // The report is already in the shape the refusal-to-consider lists take.
    json named = report.value("missing_documents", json::array());
    json expired_named = report.value("expired_documents", json::array());
    std::optional<json> details;
    if (body_.contains("reasons")) {
      const auto& reasons = body_["reasons"];
      if (!reasons.is_array() || reasons.empty())
        throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "reasons"}});
      std::string kk, ru;
      for (std::size_t i = 0; i < reasons.size(); ++i) {
        const json wrapped = {{"reason", reasons[i]}};
        const json r = bilingual_field(wrapped, "reason", true);
        kk += (kk.empty() ? "" : "; ") + (r.is_string() ? r.get<std::string>() : r["kk"].get<std::string>());
        ru += (ru.empty() ? "" : "; ") + (r.is_string() ? r.get<std::string>() : r["ru"].get<std::string>());
      }
      details = json{{"kk", kk}, {"ru", ru}};
    }
    if (named.empty() && expired_named.empty() && !details)
      throw ProcedureError(Kind::invalid, "return.nothing_missing", {{"field", "reasons"}});
    const auto number = draw_number(model::Kind::refusal_to_consider, today_);
    const LetterBase base{number, today_, &app_};
    issue_document(refusal_to_consider(base, named, expired_named, details, office_.issuer), number, std::nullopt,
                   std::nullopt, std::nullopt);
    case_file()["decision"] = {{"action", "return"}, {"document", number}, {"at", almaty_time(now_)}};
    move(State::returned, optional_reason(body_), {{"document", number}});
  }

  // --- approvals, risks, the MFA ---------------------------------------------

  void record_approval() {
    json approval = {{"body", bilingual_field(body_, "body", true)}};
    const auto number = text_field(body_, "letter_number");
    if (number.empty()) throw ProcedureError(Kind::invalid, "action.field_required", {{"field", "letter_number"}});
    if (number.size() > 200) throw ProcedureError(Kind::invalid, "action.field_too_long", {{"field", "letter_number"}});
    approval["number"] = number;
    approval["date"] = format_date(*date_field(body_, "letter_date", true));
    const std::string decision = body_.value("decision", std::string("agreed"));
    if (decision != "agreed" && decision != "refused")
      throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "decision"}});
    const bool risks = body_.value("risks", false);
    json record = approval;
    record["decision"] = decision;
    record["risks"] = risks;
    record["recorded_by"] = officer_.label();
    record["recorded_at"] = almaty_time(now_);
    record["files"] = attach_files();
    case_file()["approvals"].push_back(record);
    move(app_.state, optional_reason(body_), {{"approval", record}});
    // A state body reported risks: the guarantee document goes to the MFA (000: 304-316).
    if (risks && service_ != nullptr && service_->mfa == MfaRule::first_export_or_risk &&
        app_.state == State::under_review && guarantee_checks(tx_, app_.id).empty())
      request_mfa_check("risks reported by " + number, false);
  }

  void record_risk_assessment() {
    const std::string level = text_field(body_, "level");
    if (level != "low" && level != "medium" && level != "high")
      throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "level"}});
    json record = {{"level", level}, {"by", officer_.label()}, {"at", almaty_time(now_)}, {"files", attach_files()}};
    if (body_.contains("conclusion")) record["conclusion"] = bilingual_field(body_, "conclusion", false);
    case_file()["risk_assessment"] = record;
    move(app_.state, optional_reason(body_), {{"risk_assessment", record}});
  }

  void request_mfa_check(const std::string& reason, bool by_officer) {
    // One check has one idempotency key for ever (the exchange retries with it).
    const std::string id = random_hex(16);
    const std::string key = "qujat-mfa-" + id;
    tx_.execute(
        "INSERT INTO guarantee_checks (id, application_id, idempotency_key, reason, state, requested_at, details) "
        "VALUES (?, ?, ?, ?, 'queued', ?, ?)",
        {id, app_.id, key, reason, std::int64_t{now_.time_since_epoch().count()}, json::object().dump()});
    store::Outbox::enqueue(tx_, "mfa.check", key, id, {{"check_id", id}, {"application_id", app_.id}}, now_);
    app_.stopped_on = today_;
    json details = {{"check_id", id}, {"requested_by", by_officer ? officer_.label() : "system"}};
    const auto previous = request_.action;
    Transition t{app_, "request_mfa_check", by_officer ? officer_.label() : "system", reason, details};
    app_.state = State::awaiting_mfa;
    write_transition(tx_, t, now_);
    (void)previous;
  }

  void record_mfa_answer() {
    const std::string answer = text_field(body_, "answer");
    if (answer != "authentic" && answer != "not_authentic" && answer != "cannot_determine")
      throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "answer"}});
    std::string check_id = text_field(body_, "check_id");
    if (check_id.empty())
      for (const auto& c : guarantee_checks(tx_, app_.id))
        if (!c.answer) check_id = c.id;
    if (check_id.empty()) throw ProcedureError(Kind::invalid, "mfa.no_open_check", {{"field", "check_id"}});
    const auto reason = required_reason(body_);
    apply_guarantee_answer(tx_, office_, app_, check_id, answer, "officer:" + random_hex(8),
                           {{"recorded_by", officer_.label()}, {"reason", reason}, {"files", attach_files()}},
                           officer_.label(), now_, outcome_.flags);
  }

 public:
  // Shared with Procedure::record_guarantee_answer (the exchange's answers).
  static bool apply_guarantee_answer(store::Transaction& tx, const LicensingOffice& office, store::ApplicationRecord& app,
                                     const std::string& check_id, const std::string& answer,
                                     const std::string& answer_id, const json& details, const std::string& actor,
                                     Instant now, std::vector<std::string>& flags) {
    const auto row = tx.query_row("SELECT answer, application_id FROM guarantee_checks WHERE id = ?" +
                                      std::string(tx.lock_rows()),
                                  {check_id});
    if (!row || row->text(1) != app.id) throw ProcedureError(Kind::not_found, "mfa.check_not_found");
    if (!row->is_null(0)) return false;  // answered before: a repeated answer is recorded once
    tx.execute(
        "UPDATE guarantee_checks SET answer = ?, answered_at = ?, answer_id = ?, state = 'answered', details = ? "
        "WHERE id = ?",
        {answer, std::int64_t{now.time_since_epoch().count()}, answer_id, details.dump(), check_id});
    const Date today = office.today();
    if (app.state == State::awaiting_mfa && app.stopped_on) {
      // The term resumes: the working days it stood still are added to it.
      app.stopped_days += working_days_in(office.calendar, *app.stopped_on, today);
      app.stopped_on.reset();
      app.due_on = office.calendar.add_working_days(app.registered_on, static_cast<int>(app.term_days + app.stopped_days));
      app.state = State::under_review;
    }
    if (answer == "not_authentic") flags.push_back("ground_12_supported");
    app.case_file["mfa_answers"][check_id] = {{"answer", answer}, {"at", almaty_time(now)}};
    json event = {{"check_id", check_id}, {"answer", answer}};
    if (!flags.empty()) event["flags"] = flags;
    Transition t{app, "record_mfa_answer", actor, std::nullopt, event};
    write_transition(tx, t, now);
    return true;
  }

 private:
  // --- hearing and decisions --------------------------------------------------

  // Ground 12 (a licence service's MFA ground) needs a negative answer, or
  // none within one calendar year of sending (000: 637-638); never earlier.
  // Returns the check that supports it, as the documents cite it.
  std::optional<json> check_mfa_ground(const std::vector<Ground>& grounds) {
    if (service_ == nullptr || service_->mfa_ground == 0) return std::nullopt;
    const bool cited = std::any_of(grounds.begin(), grounds.end(), [&](const Ground& g) { return g.code == service_->mfa_ground; });
    if (!cited) return std::nullopt;
    for (const auto& c : guarantee_checks(tx_, app_.id)) {
      const Date sent = local_date(c.sent_at.value_or(c.requested_at));
      if (c.answer && *c.answer == "not_authentic")
        return json{{"sent_on", format_date(sent)}, {"result", "negative"}, {"answered_on", format_date(local_date(*c.answered_at))}};
      if (!c.answer && c.sent_at && add_calendar_years(sent, office_.rules.mfa_silence_years) <= today_)
        return json{{"sent_on", format_date(sent)}, {"result", "none"}};
    }
    throw ProcedureError(Kind::invalid, "ground.mfa_premature", {{"field", "grounds"}, {"ground", std::to_string(service_->mfa_ground)}});
  }

  void preliminary_refusal() {
    const auto& catalogue = grounds_catalogue(office_.issuance.engine().templates(), app_.kind);
    const auto grounds = parse_grounds(body_, catalogue);
    const auto guarantee_check = check_mfa_ground(grounds);
    const auto hearing_text = text_field(body_, "hearing_at");
    const auto hearing_at = parse_instant(hearing_text);
    if (!hearing_at) throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "hearing_at"}});
    // Notice no later than 3 working days before the term ends; the hearing
    // within 2 working days of the notice (000: 354-365).
    const Date due = procedure_.displayed_due_on(app_);
    const Date last_notice_day = working_days_before(office_.calendar, due, office_.rules.hearing_notice_working_days_before_due);
    if (!app_.stopped_on && today_ > last_notice_day)
      throw ProcedureError(Kind::invalid, "hearing.notice_too_late",
                           {{"field", "hearing_at"}, {"due_on", format_date(due)}, {"last_day", format_date(last_notice_day)}});
    const Date hearing_day = local_date(*hearing_at);
    const Date latest = office_.calendar.add_working_days(today_, office_.rules.hearing_within_working_days);
    if (*hearing_at <= now_ || hearing_day > latest || !office_.calendar.is_working_day(hearing_day))
      throw ProcedureError(Kind::invalid, "hearing.date_out_of_term",
                           {{"field", "hearing_at"}, {"latest", format_date(latest)}});
    json hearing = {{"at", almaty_time(*hearing_at)}};
    if (body_.contains("place")) hearing["place"] = bilingual_field(body_, "place", false);
    if (body_.contains("online")) {
      const auto online = text_field(body_, "online");
      if (online.empty() || online.size() > 2000) throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "online"}});
      hearing["online"] = online;
    }
    if (!hearing.contains("place") && !hearing.contains("online"))
      throw ProcedureError(Kind::invalid, "action.field_required", {{"field", "place"}});
    const auto number = draw_number(model::Kind::hearing_notice, today_);
    const LetterBase base{number, today_, &app_};
    issue_document(hearing_notice(base, grounds_json(grounds), hearing, guarantee_check, office_.issuer), number,
                   std::nullopt, std::nullopt, std::nullopt);
    json heard_grounds = json::array();
    for (const auto& g : grounds) heard_grounds.push_back(g.code);
    json record = {{"grounds", heard_grounds}, {"hearing_at", almaty_time(*hearing_at)}, {"notice", number},
                   {"notified_on", format_date(today_)}};
    case_file()["preliminary_refusals"].push_back(record);
    move(State::preliminary_refusal, optional_reason(body_), record);
  }

  void record_hearing() {
    json record = {{"held_at", almaty_time(now_)}, {"by", officer_.label()}, {"files", attach_files()}};
    if (body_.contains("attended")) record["attended"] = body_.value("attended", true);
    if (body_.contains("minutes")) record["minutes"] = bilingual_field(body_, "minutes", false);
    case_file()["hearings"].push_back(record);
    move(State::heard, optional_reason(body_), record);
  }

  // Box 17 ("Келісілді / Согласовано"): the bodies that agreed, with their letters.
  json approvals_for_document() {
    json out = json::array();
    for (const auto& a : case_file().value("approvals", json::array()))
      if (a.value("decision", "agreed") == "agreed") {
        const auto& body = a["body"];
        out.push_back({{"body", body.is_string() ? json{{"kk", body}, {"ru", body}} : body},
                       {"letter_number", a["number"]},
                       {"letter_date", a["date"]}});
      }
    return out;
  }

  void issue() {
    if (service_ == nullptr) throw ProcedureError(Kind::invalid, "application.not_a_service", {{"kind", app_.kind}});
    for (const auto& a : case_file().value("approvals", json::array()))
      if (a.value("decision", "agreed") == "refused")
        throw ProcedureError(Kind::invalid, "approval.refused", {{"field", "approvals"}});
    const auto approvals = approvals_for_document();
    // Box 17 ("agreed") of a licence and the permit's "agreed" box must be filled.
    if (service_->approvals_required && approvals.empty())
      throw ProcedureError(Kind::invalid, "approval.missing", {{"field", "approvals"}});
    for (const auto& c : guarantee_checks(tx_, app_.id)) {
      if (!c.answer) throw ProcedureError(Kind::invalid, "mfa.answer_awaited", {{"field", "guarantee_checks"}});
      if (*c.answer != "authentic") outcome_.flags.push_back("guarantee_not_confirmed");
    }
    const int year = static_cast<int>(today_.year());
    const auto fee = office_.rules.fee_tenge(service_->fee_mrp, year);
    const auto validity = licence_validity(app_.data, today_);
    if (validity.until < validity.from)
      throw ProcedureError(Kind::invalid, "validity.expired_basis", {{"field", "basis/valid_until"}});
    json numbers = json::array();
    if (service_->one_document_per_commodity_code) {
      for (const auto& goods : goods_by_commodity_code(app_.data)) {
        const auto number = draw_number(kind_, today_);
        issue_document(issued_document(app_.data, kind_, &goods, number, today_, validity, approvals, office_.issuer),
                       number, validity, fee, std::nullopt);
        if (kind_ == model::Kind::general_export_licence) open_balances(number, goods);
        numbers.push_back(number);
      }
    } else {
      const auto number = draw_number(kind_, today_);
      const bool dated = kind_ != model::Kind::euc && kind_ != model::Kind::iic;
      issue_document(issued_document(app_.data, kind_, nullptr, number, today_, validity, approvals, office_.issuer),
                     number, dated ? std::optional<Validity>(validity) : std::nullopt, fee, std::nullopt);
      numbers.push_back(number);
    }
    case_file()["decision"] = {{"action", "issue"}, {"documents", numbers}, {"fee_tenge", fee}, {"at", almaty_time(now_)}};
    move(State::issued, optional_reason(body_), {{"documents", numbers}, {"fee_tenge", fee}});
  }

  void open_balances(const std::string& number, const std::vector<json>& goods) {
    for (std::size_t i = 0; i < goods.size(); ++i)
      tx_.execute(
          "INSERT INTO general_licence_items (document_number, item, hs_code, quantity, remaining) VALUES (?, ?, ?, ?, ?)",
          {number, static_cast<std::int64_t>(i), goods[i].value("hs_code", ""), goods[i].value("quantity", "0"),
           goods[i].value("quantity", "0")});
  }

  void refuse() {
    const auto& catalogue = grounds_catalogue(office_.issuance.engine().templates(), app_.kind);
    const auto grounds = parse_grounds(body_, catalogue);
    const auto guarantee_check = check_mfa_ground(grounds);
    // The hearing exists so the applicant can answer the grounds (000:
    // 350-355): a ground never put to it is refused unless the officer
    // says why, and then flagged.
    std::set<int> heard;
    for (const auto& p : case_file().value("preliminary_refusals", json::array()))
      for (const auto& g : p.value("grounds", json::array())) heard.insert(g.get<int>());
    std::vector<std::string> unheard;
    for (const auto& g : grounds)
      if (!heard.contains(g.code)) unheard.push_back(std::to_string(g.code));
    if (!unheard.empty()) {
      const auto why = text_field(body_, "unheard_grounds_reason");
      if (why.empty())
        throw ProcedureError(Kind::invalid, "ground.not_heard",
                             {{"field", "grounds"}, {"ground", unheard.front()}}, {"preliminary_refusal"});
      for (const auto& g : unheard) outcome_.flags.push_back("ground_not_heard:" + g);
      case_file()["unheard_grounds_reason"] = why;
    }
    const auto number = draw_number(model::Kind::refusal, today_);
    const LetterBase base{number, today_, &app_};
    issue_document(refusal(base, grounds_json(grounds), guarantee_check, office_.issuer), number, std::nullopt,
                   std::nullopt, std::nullopt);
    json cited = json::array();
    for (const auto& g : grounds) cited.push_back(g.code);
    case_file()["decision"] = {{"action", "refuse"}, {"document", number}, {"grounds", cited}, {"at", almaty_time(now_)}};
    move(State::refused, optional_reason(body_), {{"document", number}, {"grounds", cited}});
  }

  // Re-issue (000: 221-223, 489-494): a new document with the changed data
  // replaces the old, which becomes superseded; the period is kept; 1 MRP.
  void reissue() {
    const auto reason = required_reason(body_);
    const auto old_number = text_field(body_, "number");
    const auto documents = store::DocumentRegistry::of_application(tx_, app_.id);
    const store::DocumentRecord* old = nullptr;
    for (const auto& d : documents)
      if (d.state == store::DocumentState::valid && (old_number.empty() ? d.kind == app_.kind : d.number == old_number))
        old = &d;
    if (old == nullptr) throw ProcedureError(Kind::invalid, "reissue.no_valid_document", {{"field", "number"}});
    json data = case_file()["issued"].value(old->number, json());
    if (data.is_null()) throw ProcedureError(Kind::invalid, "reissue.no_valid_document", {{"field", "number"}});
    if (body_.contains("changes")) {
      const auto& changes = body_["changes"];
      if (!changes.is_object()) throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "changes"}});
      for (const auto& [key, value] : changes.items()) {
        // What a re-issue may change: the holder's particulars (000: 221-223),
        // never the goods, the parties abroad or the decision itself.
        static const std::set<std::string> allowed = {"applicant", "bank_accounts", "revenue_body", "signatory"};
        if (!allowed.contains(key))
          throw ProcedureError(Kind::invalid, "reissue.field_not_changeable", {{"field", "changes/" + key}});
        data[key] = value;
      }
    }
    const auto number = draw_number(kind_, today_);
    const char* block = kind_ == model::Kind::reexport_permit ? "permit" : "licence";
    if (kind_ == model::Kind::euc || kind_ == model::Kind::iic) block = "certificate";
    if (data.contains(block)) {
      data[block]["number"] = number;
      data[block][std::string(block) == "certificate" ? "date" : "issue_date"] = format_date(today_);
      if (data[block].contains("licensor")) data[block]["licensor"] = licensor_json(office_.issuer, today_);
    }
    // The re-issued document runs from its own issue to the end of the old
    // one's term (it takes over; the old one covered the time before).
    std::optional<Validity> validity;
    if (old->valid_until) {
      validity = Validity{std::max(today_, old->valid_from.value_or(today_)), *old->valid_until};
      if (data.contains(block)) {
        data[block]["valid_from"] = format_date(validity->from);
        data[block]["valid_until"] = format_date(validity->until);
      }
      if (data.contains("validity"))
        data["validity"] = {{"from", format_date(validity->from)}, {"to", format_date(validity->until)}};
    }
    const auto fee = office_.rules.fee_tenge(office_.rules.reissue_fee_mrp, static_cast<int>(today_.year()));
    issue_document(data, number, validity, fee, old->number);
    json entry = {{"old", old->number}, {"new", number}, {"fee_tenge", fee}, {"at", almaty_time(now_)}};
    case_file()["reissues"].push_back(entry);
    move(State::issued, reason, entry);
  }

  void revoke() {
    const auto reason = required_reason(body_);
    const auto number = text_field(body_, "number");
    json revoked = json::array();
    for (const auto& d : store::DocumentRegistry::of_application(tx_, app_.id))
      if (d.state == store::DocumentState::valid && (number.empty() || d.number == number)) {
        store::DocumentRegistry::set_state(tx_, d.number, store::DocumentState::revoked);
        revoked.push_back(d.number);
      }
    if (revoked.empty()) throw ProcedureError(Kind::invalid, "revoke.no_valid_document", {{"field", "number"}});
    move(State::issued, reason, {{"revoked", revoked}});
  }

  const LicensingOffice& office_;
  const Procedure& procedure_;
  store::Transaction& tx_;
  store::ApplicationRecord& app_;
  const Actor& officer_;
  const ActionRequest& request_;
  const json& body_;
  Instant now_;
  Date today_;
  model::Kind kind_;
  const ServiceRules* service_;
  ActionOutcome outcome_;
};

}  // namespace

ActionOutcome Procedure::act(const std::string& id, const ActionRequest& request, const Actor& officer) const {
  if (!officer.is_officer()) throw ProcedureError(Kind::forbidden, "action.officers_only");
  const bool known = std::any_of(std::begin(kActions), std::end(kActions), [&](const char* a) { return request.action == a; });
  if (!known) throw ProcedureError(Kind::invalid, "action.unknown", {{"field", "action"}, {"action", request.action}});
  if (!request.body.is_object() && !request.body.is_null())
    throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "body"}});
  ActionRequest normalised = request;
  if (normalised.body.is_null()) normalised.body = nlohmann::json::object();
  return office_.db.write([&](store::Transaction& tx) {
    auto application = store::ApplicationRegistry::find(tx, id, /*lock=*/true);
    if (!application) throw ProcedureError(Kind::not_found, "application.not_found");
    const auto allowed = allowed_actions(*application);
    if (!contains(allowed, request.action))
      throw ProcedureError(Kind::not_allowed, "action.not_allowed",
                           {{"action", request.action}, {"state", std::string(store::name(application->state))}}, allowed);
    Case c(office_, *this, tx, *application, officer, normalised);
    return c.run();
  });
}

bool Procedure::record_guarantee_answer(const std::string& check_id, const std::string& answer,
                                        const std::string& answer_id, const nlohmann::json& details,
                                        const Actor& actor) const {
  if (answer != "authentic" && answer != "not_authentic" && answer != "cannot_determine")
    throw ProcedureError(Kind::invalid, "action.field_invalid", {{"field", "answer"}});
  return office_.db.write([&](store::Transaction& tx) {
    const auto row = tx.query_row("SELECT application_id FROM guarantee_checks WHERE id = ?", {check_id});
    if (!row) throw ProcedureError(Kind::not_found, "mfa.check_not_found");
    auto application = store::ApplicationRegistry::find(tx, row->text(0), /*lock=*/true);
    if (!application) throw ProcedureError(Kind::not_found, "application.not_found");
    std::vector<std::string> flags;
    return Case::apply_guarantee_answer(tx, office_, *application, check_id, answer, answer_id, details, actor.label(),
                                        office_.clock.now(), flags);
  });
}

nlohmann::json Procedure::report_execution(const std::string& licence_number, const nlohmann::json& report,
                                           const Actor& holder) const {
  const auto check = model::check_application(report, model::Kind::execution_report);
  if (!check.ok()) throw ProcedureError(Kind::invalid, "application.invalid", {}, {}, check.problems);
  if (report["general_licence"].value("number", "") != licence_number)
    throw ProcedureError(Kind::invalid, "report.other_licence", {{"field", "/general_licence/number"}});
  return office_.db.write([&](store::Transaction& tx) {
    const auto document = store::DocumentRegistry::find(tx, licence_number);
    if (!document || !may_see(holder, document->owner_iin, document->owner_bin) ||
        document->kind != "general-export-licence")
      throw ProcedureError(Kind::not_found, "document.not_found");
    if (document->state != store::DocumentState::valid)
      throw ProcedureError(Kind::invalid, "report.licence_not_valid", {{"field", "/general_licence/number"}});
    const Instant now = office_.clock.now();
    const auto& goods = report["goods"];
    json remaining = json::array();
    for (std::size_t i = 0; i < goods.size(); ++i) {
      const auto& g = goods[i];
      const std::string field = "/goods/" + std::to_string(i);
      const auto rows = tx.query(
          "SELECT item, remaining FROM general_licence_items WHERE document_number = ? AND hs_code = ? ORDER BY item" +
              std::string(tx.lock_rows()),
          {licence_number, g.value("hs_code", "")});
      // The report lists the licence's items in order; an item is matched by
      // its commodity code and, where the code repeats, its place.
      std::size_t same_code_before = 0;
      for (std::size_t j = 0; j < i; ++j) same_code_before += goods[j].value("hs_code", "") == g.value("hs_code", "");
      if (same_code_before >= rows.size())
        throw ProcedureError(Kind::invalid, "report.item_unknown", {{"field", field + "/hs_code"}});
      const auto& row = rows[same_code_before];
      const auto left = model::Decimal::from_string(row.text(1));
      const auto exported = model::Decimal::from_string(g.value("exported_quantity", "0"));
      if (exported > left)
        throw ProcedureError(Kind::invalid, "report.beyond_remainder",
                             {{"field", field + "/exported_quantity"}, {"remaining", left.to_string()}});
      const auto now_left = left - exported;
      if (g.contains("remaining_quantity") &&
          model::Decimal::from_string(g["remaining_quantity"].get<std::string>()) != now_left)
        throw ProcedureError(Kind::invalid, "report.remaining_mismatch",
                             {{"field", field + "/remaining_quantity"}, {"remaining", now_left.to_string()}});
      tx.execute("UPDATE general_licence_items SET remaining = ? WHERE document_number = ? AND item = ?",
                 {now_left.to_string(), licence_number, row.integer(0)});
      tx.execute(
          "INSERT INTO execution_reports (id, document_number, item, export_date, quantity, reported_at, reported_by, "
          "report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {random_hex(16), licence_number, row.integer(0), report.value("export_date", ""), exported.to_string(),
           std::int64_t{now.time_since_epoch().count()}, holder.label(), report.dump()});
      remaining.push_back({{"item", row.integer(0)}, {"hs_code", g.value("hs_code", "")}, {"remaining", now_left.to_string()}});
    }
    // Reports are due within 10 working days of the export (000: 439-455).
    json details = {{"licence", licence_number}, {"remaining", remaining}};
    if (const auto exported_on = parse_date(report.value("export_date", ""))) {
      const Date due = office_.calendar.add_working_days(*exported_on, 10);
      if (office_.today() > due) details["late"] = true;
    }
    store::AuditLog::append(tx, holder.label(), "licence.execution_report", licence_number, "", details, now);
    return details;
  });
}

// --- JSON for the front ends -------------------------------------------------

namespace {

std::string actor_for_applicant(const std::string& actor, const store::ApplicationRecord& a) {
  // Officers' IINs are theirs to keep: an applicant sees the role that acted.
  if (actor == a.submitted_by) return "applicant";
  if (actor == "system" || actor == "mfa") return actor;
  return "officer";
}

}  // namespace

namespace {

// The summary's members, into an object the caller has opened.
void write_summary(JsonWriter& w, const store::ApplicationRecord& a, const Procedure& procedure,
                   bool with_completeness_date) {
  w.key("id").value(a.id);
  w.key("registration_number").value(a.registration_number);
  w.key("kind").value(a.kind);
  w.key("state").value(store::name(a.state));
  w.key("received_at").value(almaty_time(a.received_at));
  w.key("registered_on").value(format_date(a.registered_on));
  w.key("due_on").value(format_date(procedure.displayed_due_on(a)));
  w.key("term").begin_object().key("working_days").value(a.term_days).key("stopped_since");
  if (a.stopped_on)
    w.value(format_date(*a.stopped_on));
  else
    w.null();
  if (with_completeness_date) {
    const auto due = a.case_file.find("completeness_due_on");
    if (due != a.case_file.end() && due->is_string()) w.key("completeness_due_on").value(due->get<std::string>());
  }
  w.end_object();
}

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

nlohmann::json summary_json(const store::ApplicationRecord& a, const Procedure& procedure) {
  JsonWriter w;
  w.begin_object();
  write_summary(w, a, procedure, false);
  w.end_object();
  return nlohmann::json::parse(std::move(w).text());
}

std::string to_json_text(const ApplicationView& view, const Procedure& procedure, const docs::DocumentEngine& engine,
                         bool for_officer) {
  const auto& a = view.application;
  JsonWriter w;
  w.begin_object();
  write_summary(w, a, procedure, true);
  w.key("history").begin_array();
  for (const auto& e : view.history) {
    w.begin_object();
    w.key("at").value(almaty_time(e.at));
    w.key("state").value(e.state);
    w.key("action").value(e.action);
    w.key("actor").value(for_officer ? e.actor : actor_for_applicant(e.actor, a));
    w.key("reason");
    if (e.reason)
      w.value(*e.reason);
    else
      w.null();
    w.end_object();
  }
  w.end_array();
  w.key("documents").begin_array();
  for (const auto& d : view.documents) {
    w.begin_object();
    w.key("number").value(d.number);
    w.key("kind").value(d.kind);
    w.key("issued_on").value(format_date(d.issued_on));
    w.key("state").value(store::name(d.state));
    w.key("xml").value("/api/v1/documents/" + d.number + ".xml");
    w.key("pdf").value("/api/v1/documents/" + d.number + ".pdf");
    w.key("verify_url").value(engine.verification_url(d.number, d.verification_code));
    if (d.valid_until) w.key("valid_until").value(format_date(*d.valid_until));
    if (d.superseded_by) w.key("superseded_by").value(*d.superseded_by);
    w.end_object();
  }
  w.end_array();
  if (for_officer) {
    w.key("allowed_actions").begin_array();
    for (const auto& action : view.allowed_actions) w.value(action);
    w.end_array();
    w.key("application").raw(dump(a.data));
    w.key("intake").raw(dump(a.intake));
    w.key("case_file").raw(dump(a.case_file));
    w.key("guarantee_checks").raw(dump(view.guarantee_checks));
    w.key("owner").begin_object().key("iin").value(a.owner_iin).key("bin").value(a.owner_bin).end_object();
    w.key("submitted_by").value(a.submitted_by);
  }
  w.end_object();
  return std::move(w).text();
}

nlohmann::json to_json(const ApplicationView& view, const Procedure& procedure, const docs::DocumentEngine& engine,
                       bool for_officer) {
  return nlohmann::json::parse(to_json_text(view, procedure, engine, for_officer));
}

}  // namespace qujat::workflow
