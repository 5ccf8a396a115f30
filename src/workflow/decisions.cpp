#include "workflow/decisions.h"

#include <algorithm>

#include "qujat/model/decimal.h"
#include "qujat/model/kind.h"

namespace qujat::workflow {
namespace {

nlohmann::json bilingual(const docs::BilingualText& t) {
  if (t.kk == t.ru) return t.kk;
  return {{"kk", t.kk}, {"ru", t.ru}};
}

std::optional<Date> date_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return parse_date(it->get<std::string>());
}

Date one_year_less_a_day(Date from) {
  // 9 Jan 2026 -> 8 Jan 2027; 29 Feb -> 28 Feb of the next year.
  std::chrono::year_month_day next{from.year() + std::chrono::years(1), from.month(), from.day()};
  if (!next.ok()) next = std::chrono::year_month_day_last(next.year(), std::chrono::month_day_last(next.month()));
  return Date(std::chrono::sys_days(next) - std::chrono::days(1));
}

}  // namespace

nlohmann::json signatory_json(const IssuerProfile& issuer) {
  return {{"full_name", issuer.full_name}, {"position", bilingual(issuer.position)}};
}

nlohmann::json licensor_json(const IssuerProfile& issuer, Date date) {
  return {{"body", {{"kk", issuer.body.kk}, {"ru", issuer.body.ru}}},
          {"position", {{"kk", issuer.position.kk}, {"ru", issuer.position.ru}}},
          {"full_name", issuer.full_name},
          {"date", format_date(date)}};
}

Validity licence_validity(const nlohmann::json& application, Date issue_date) {
  Validity v{issue_date, one_year_less_a_day(issue_date)};
  const auto& asked = application.contains("validity") ? application["validity"] : nlohmann::json();
  if (const auto from = date_at(asked, "from"); from && *from > v.from) v.from = *from;
  if (const auto to = date_at(asked, "to"); to && *to < v.until) v.until = *to;
  if (const auto basis = date_at(application.value("basis", nlohmann::json()), "valid_until"); basis && *basis < v.until)
    v.until = *basis;
  for (const auto& a : application.value("attachments", nlohmann::json::array()))
    if (const auto until = date_at(a, "valid_until"); until && *until < v.until) v.until = *until;
  return v;
}

std::vector<std::vector<nlohmann::json>> goods_by_commodity_code(const nlohmann::json& application) {
  std::vector<std::string> codes;
  std::vector<std::vector<nlohmann::json>> groups;
  for (const auto& item : application.value("goods", nlohmann::json::array())) {
    const std::string code = item.value("hs_code", std::string());
    const auto it = std::find(codes.begin(), codes.end(), code);
    if (it == codes.end()) {
      codes.push_back(code);
      groups.push_back({item});
    } else {
      groups[static_cast<std::size_t>(it - codes.begin())].push_back(item);
    }
  }
  return groups;
}

nlohmann::json issued_document(const nlohmann::json& application, model::Kind kind,
                               const std::vector<nlohmann::json>* goods, const std::string& number, Date issue_date,
                               const Validity& validity, const nlohmann::json& approvals, const IssuerProfile& issuer) {
  nlohmann::json out = application;
  if (goods != nullptr) {
    out["goods"] = *goods;
    if (out.contains("total_value")) {
      model::Decimal total;
      for (const auto& item : *goods)
        if (item.contains("value")) total += model::Decimal::from_string(item["value"].get<std::string>());
      out["total_value"] = total.to_string();
    }
  }
  const std::string issued = format_date(issue_date);
  switch (kind) {
    case model::Kind::euc:
    case model::Kind::iic:
      out["certificate"] = {{"number", number}, {"date", issued}};
      out["signatory"] = signatory_json(issuer);
      break;
    default: {
      out["validity"] = {{"from", format_date(validity.from)}, {"to", format_date(validity.until)}};
      nlohmann::json block = {{"number", number},
                              {"issue_date", issued},
                              {"valid_from", format_date(validity.from)},
                              {"valid_until", format_date(validity.until)},
                              {"licensor", licensor_json(issuer, issue_date)}};
      if (approvals.is_array() && !approvals.empty()) block["approvals"] = approvals;
      out[kind == model::Kind::reexport_permit ? "permit" : "licence"] = std::move(block);
    }
  }
  return out;
}

nlohmann::json addressee_of(const nlohmann::json& application, model::Kind kind) {
  const char* field = (kind == model::Kind::euc || kind == model::Kind::iic) ? "importer" : "applicant";
  return application.value(field, nlohmann::json::object());
}

namespace {

nlohmann::json letter(const LetterBase& base, const char* kind, const IssuerProfile& issuer) {
  const auto& a = *base.application;
  return {{"kind", kind},
          {"document", {{"number", base.number}, {"date", format_date(base.date)}}},
          {"addressee", addressee_of(a.data, model::parse_kind(a.kind).value_or(model::Kind::export_licence))},
          {"application_ref", {{"number", a.registration_number}, {"date", format_date(a.registered_on)}}},
          {"service", a.kind},
          {"signatory", signatory_json(issuer)}};
}

}  // namespace

nlohmann::json refusal_to_consider(const LetterBase& base, const nlohmann::json& missing, const nlohmann::json& expired,
                                   const std::optional<nlohmann::json>& details, const IssuerProfile& issuer) {
  auto out = letter(base, "refusal-to-consider", issuer);
  if (!missing.empty()) out["missing_documents"] = missing;
  if (!expired.empty()) out["expired_documents"] = expired;
  if (details) out["details"] = *details;
  return out;
}

nlohmann::json hearing_notice(const LetterBase& base, const nlohmann::json& grounds, const nlohmann::json& hearing,
                              const std::optional<nlohmann::json>& guarantee_check, const IssuerProfile& issuer) {
  auto out = letter(base, "hearing-notice", issuer);
  out["grounds"] = grounds;
  out["hearing"] = hearing;
  // The notice is in the applicant's cabinet (000: 359-362 asks for a traceable means).
  out["delivery"] = nlohmann::json::array({"cabinet"});
  if (guarantee_check) out["guarantee_check"] = *guarantee_check;
  return out;
}

nlohmann::json refusal(const LetterBase& base, const nlohmann::json& grounds,
                       const std::optional<nlohmann::json>& guarantee_check, const IssuerProfile& issuer) {
  auto out = letter(base, "refusal", issuer);
  out["grounds"] = grounds;
  if (guarantee_check) out["guarantee_check"] = *guarantee_check;
  return out;
}

}  // namespace qujat::workflow
