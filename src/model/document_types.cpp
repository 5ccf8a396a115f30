#include "qujat/model/document_types.h"

#include <algorithm>
#include <array>

namespace qujat::model {
namespace {
// The first fourteen are the contract's original vocabulary; the rest name
// the documents of the qualification-requirement tables (seed 000 annexes 2
// and 3), the service standards (000 annex 1, 002 annex 1) and the EUC/IIC
// rules (001, 003). templates/common.json `attachment_types` names each.
constexpr std::array<std::string_view, 43> kTypes{
    "contract",
    "guarantee_document",
    "end_user_certificate",
    "import_certificate",
    "peaceful_use_assurance",
    "internal_control_programme",
    "manufacturer_consent",
    "technical_description",
    "power_of_attorney",
    "agency_agreement",
    "permit",
    "licence",
    "conclusion",
    "other",
    "fee_payment",
    "state_registration",
    "contract_validity_confirmation",
    "origin_country_export_permit",
    "transaction_chain_contract",
    "activity_licence",
    "participant_activity_licence",
    "intermediary_authorisation",
    "processing_conditions_document",
    "failure_confirmation",
    "import_proof",
    "end_user_peaceful_use_assurance",
    "end_user_assurance",
    "certificate_of_origin",
    "chemical_safety_data_sheet",
    "liability_insurance_contract",
    "environmental_expertise_conclusion",
    "waste_disposal_contract",
    "sanitary_conclusion",
    "dangerous_goods_vehicle_certificate",
    "dangerous_goods_special_permit",
    "medical_device_registration",
    "explosives_use_permit",
    "pyrotechnics_acquisition_permit",
    "pyrotechnics_storage_permit",
    "pyrotechnics_storage_contract",
    "importer_guarantee_obligation",
    "reexport_information_form",
    "applicant_registration_document",
};
}  // namespace

std::span<const std::string_view> document_types() noexcept { return kTypes; }

bool is_document_type(std::string_view type) noexcept {
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

}  // namespace qujat::model
