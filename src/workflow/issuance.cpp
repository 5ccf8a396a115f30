#include "qujat/workflow/issuance.h"

#include "qujat/common/error.h"
#include "qujat/i18n/template_root.h"
#include "qujat/render/pdf.h"
#include "qujat/store/document_numbering.h"

namespace qujat::workflow {
namespace {

Date today_in_almaty(Instant now) {
  // Kazakhstan keeps UTC+5 all year: the issue date is the office's calendar day.
  return Date{std::chrono::floor<std::chrono::days>(now + std::chrono::hours(5))};
}

nlohmann::json bilingual(const docs::BilingualText& text) { return {{"kk", text.kk}, {"ru", text.ru}}; }

// The issuing body as the document prints it (the committee line of the
// header), else the authority named in templates/common.json for the kind.
nlohmann::json issuing_body(const docs::PrintedForm& form, const nlohmann::json& common) {
  if (form.authority_header.size() >= 2) return bilingual(form.authority_header[1]);
  if (!form.authority_header.empty()) return bilingual(form.authority_header[0]);
  const bool trade = form.kind.starts_with("trade-");
  const auto* body = trade ? &common["trade_authority"]["committee"] : &common["authority"]["committee_legal_name"];
  if (body->is_object()) return *body;
  return nullptr;
}

}  // namespace

std::optional<model::Party> document_holder(const model::Application& application) {
  for (const char* field : {"applicant", "addressee", "importer"})
    if (auto party = application.party(field)) return party;
  return std::nullopt;
}

Issuance::Issuance(const docs::DocumentEngine& engine) : engine_(engine) {}

IssuedRecord Issuance::build(const IssueOrder& order, std::string number) const {
  if (order.application == nullptr) throw Error("issuance.no_application", "nothing to issue");
  const auto& application = *order.application;
  const Instant at = order.issued_at == Instant{} ? now_utc() : order.issued_at;

  docs::IssueRequest request;
  request.number = std::move(number);
  request.issue_date = order.issue_date ? order.issue_date : docs::DocumentEngine::own_issue_date(application);
  if (!request.issue_date) request.issue_date = today_in_almaty(at);
  request.languages = order.languages;
  request.signer = order.signer;

  IssuedRecord out;
  out.document = engine_.issue(application, request);
  render::PdfOptions pdf;
  pdf.languages = out.document.meta.languages;
  pdf.creation_time = at;
  if (order.signer != nullptr) pdf.signature = render::PdfSignature{order.signer, {}, {}, at};
  out.pdf = render::render_pdf(out.document.form, pdf);

  auto& r = out.record;
  r.number = out.document.meta.number;
  r.kind = out.document.meta.kind;
  r.application_id = order.application_id;
  r.issued_on = out.document.meta.issue_date;
  r.issued_at = at;
  r.valid_from = order.valid_from;
  r.valid_until = order.valid_until;
  r.verification_code = out.document.verification_code;
  if (const auto holder = document_holder(application)) {
    r.owner_iin = holder->iin;
    r.owner_bin = holder->bin;
  }
  r.supersedes = order.supersedes;
  r.fee_tenge = order.fee_tenge;
  r.public_facts = {{"kind", r.kind},
                    {"number", r.number},
                    {"title", bilingual(out.document.form.title)},
                    {"issued_on", format_date(r.issued_on)},
                    {"issuer", issuing_body(out.document.form, engine_.templates().common())}};
  if (r.valid_from) r.public_facts["valid_from"] = format_date(*r.valid_from);
  if (r.valid_until) r.public_facts["valid_until"] = format_date(*r.valid_until);
  r.xml = out.document.xml;
  r.pdf = out.pdf;
  return out;
}

IssuedRecord Issuance::issue(store::Transaction& tx, const IssueOrder& order) const {
  if (order.application == nullptr) throw Error("issuance.no_application", "nothing to issue");
  std::string number = order.number;
  if (number.empty()) number = docs::DocumentEngine::own_number(*order.application).value_or("");
  if (number.empty()) {
    const Instant at = order.issued_at == Instant{} ? now_utc() : order.issued_at;
    const Date day = order.issue_date.value_or(today_in_almaty(at));
    // Drawn inside this transaction: if anything below fails, the number
    // goes back with the rollback.
    number = store::DocumentNumbering(engine_.number_prefixes())
                 .next(tx, std::string(model::kind_name(order.application->kind())), static_cast<int>(day.year()));
  }
  auto out = build(order, std::move(number));
  store::DocumentRegistry::insert(tx, out.record);
  if (order.supersedes) store::DocumentRegistry::supersede(tx, *order.supersedes, out.record.number);
  return out;
}

IssuedRecord Issuance::issue(store::Database& db, const IssueOrder& order) const {
  return db.write([&](store::Transaction& tx) { return issue(tx, order); });
}

IssuedRecord Issuance::make(const IssueOrder& order) const {
  if (order.application == nullptr) throw Error("issuance.no_application", "nothing to issue");
  std::string number = order.number;
  if (number.empty()) number = docs::DocumentEngine::own_number(*order.application).value_or("");
  if (number.empty())
    throw Error("docs.no_number", "no document number: give one, or issue through a store that numbers documents");
  return build(order, std::move(number));
}

}  // namespace qujat::workflow
