#include "qujat/workflow/procedure_rules.h"

#include "qujat/common/error.h"
#include "qujat/i18n/template_root.h"

namespace qujat::workflow {
namespace {

int positive(const nlohmann::json& entry, const char* key, int fallback, const std::string& where) {
  if (!entry.contains(key)) return fallback;
  const auto& v = entry.at(key);
  if (!v.is_number_integer() || v.get<int>() < 0)
    throw Error("procedure.rules", "templates/procedure/services.json: " + where + "." + key + " is not a whole number");
  return v.get<int>();
}

MfaRule mfa_rule(const nlohmann::json& entry, const std::string& where) {
  const std::string rule = entry.value("mfa", std::string("on_request"));
  if (rule == "on_request") return MfaRule::on_request;
  if (rule == "first_export_or_risk") return MfaRule::first_export_or_risk;
  if (rule == "always") return MfaRule::always;
  throw Error("procedure.rules", "templates/procedure/services.json: " + where + ".mfa \"" + rule + "\" is unknown");
}

}  // namespace

ProcedureRules ProcedureRules::load(const i18n::TemplateRoot& templates,
                                    const std::map<model::Kind, std::chrono::minutes>& cutoffs,
                                    std::chrono::minutes default_cutoff, std::map<int, std::int64_t> mrp_by_year) {
  const auto& data = templates.json("procedure/services.json");
  ProcedureRules rules;
  rules.mrp_by_year = std::move(mrp_by_year);
  for (const auto& [name, entry] : data.at("services").items()) {
    const auto kind = model::parse_kind(name);
    if (!kind) throw Error("procedure.rules", "templates/procedure/services.json: unknown service \"" + name + "\"");
    ServiceRules s;
    s.kind = *kind;
    s.term_working_days = positive(entry, "term_working_days", 30, name);
    s.completeness_working_days = positive(entry, "completeness_working_days", 2, name);
    s.fee_mrp = positive(entry, "fee_mrp", 0, name);
    s.mfa = mfa_rule(entry, name);
    for (const auto& code : entry.value("mfa_control_codes", nlohmann::json::array())) s.mfa_control_codes.push_back(code);
    s.one_document_per_commodity_code = entry.value("one_document_per_commodity_code", false);
    s.approvals_required = entry.value("approvals_required", false);
    s.mfa_ground = positive(entry, "mfa_ground", 0, name);
    s.cutoff = cutoffs.contains(*kind) ? cutoffs.at(*kind) : default_cutoff;
    rules.services.emplace(*kind, std::move(s));
  }
  if (data.contains("reissue")) {
    rules.reissue_term_working_days = positive(data["reissue"], "term_working_days", 3, "reissue");
    rules.reissue_fee_mrp = positive(data["reissue"], "fee_mrp", 1, "reissue");
  }
  if (data.contains("hearing")) {
    rules.hearing_notice_working_days_before_due =
        positive(data["hearing"], "notice_working_days_before_due", 3, "hearing");
    rules.hearing_within_working_days = positive(data["hearing"], "hearing_within_working_days", 2, "hearing");
  }
  if (data.contains("mfa_silence")) rules.mfa_silence_years = positive(data["mfa_silence"], "calendar_years", 1, "mfa_silence");
  return rules;
}

const ServiceRules* ProcedureRules::service(model::Kind kind) const {
  const auto it = services.find(kind);
  return it == services.end() ? nullptr : &it->second;
}

std::int64_t ProcedureRules::fee_tenge(int mrp, int year) const {
  if (mrp == 0) return 0;
  const auto it = mrp_by_year.find(year);
  if (it == mrp_by_year.end())
    throw Error("procedure.mrp_unknown", "no MRP configured for " + std::to_string(year) + " ([fees] mrp)");
  return it->second * mrp;
}

}  // namespace qujat::workflow
