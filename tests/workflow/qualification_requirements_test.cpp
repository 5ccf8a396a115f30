// The completeness check reads the qualification requirements as data
// (templates/requirements/): each condition of the seed tables flips what is
// asked, the samples are complete, and what is missing or expired is named
// as a refusal to consider further names it.
#include "qujat/workflow/qualification_requirements.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "qujat/common/error.h"
#include "qujat/model/check.h"
#include "support/paths.h"

using namespace qujat;
using namespace qujat::workflow;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const QualificationRequirements& requirements() {
  static const QualificationRequirements loaded(test::source_root() / "templates");
  return loaded;
}

json sample(const std::string& name) {
  return model::read_application_file((test::source_root() / "samples" / (name + ".json")).string());
}

model::Application application(const json& doc) { return model::Application::from_json(doc); }

Date day(const char* text) { return *parse_date(text); }

// The document types asked from the applicant (not those from the gateway).
std::set<std::string> asked(const json& doc) {
  std::set<std::string> types;
  for (const auto& d : requirements().required(application(doc)))
    if (!d.from_gateway) types.insert(d.type);
  return types;
}

std::set<std::string> required_ids(const json& doc) {
  std::set<std::string> ids;
  for (const auto& d : requirements().required(application(doc))) ids.insert(d.id);
  return ids;
}

std::string describe(const CompletenessReport& report) {
  std::string s;
  for (const auto& d : report.missing) s += "\n  missing " + d.type + " (" + d.seed + ")";
  for (const auto& e : report.expired) s += "\n  expired " + e.type + " " + e.number;
  return s;
}

void set_category(json& doc, const std::string& control_code, const std::string& category) {
  for (auto& item : doc["goods"]) item["control_code"] = control_code;
  doc["flags"]["control_list_category"] = category;
}

struct Flip {
  const char* name;    // what the seed says, in a few words
  const char* sample;  // the sample the change starts from
  std::function<void(json&)> change;
  const char* type;  // the document type whose requirement flips
  bool asked_after;  // asked from the applicant after the change (and not before)
};

// One row per condition the tables use: the document is asked on one side of
// the condition and not on the other.
const std::vector<Flip>& flips() {
  static const std::vector<Flip> table{
      {"export: intermediary -> contracts of the chain (row 2)", "export-licence",
       [](json& d) { d["flags"]["intermediary"] = true; }, "transaction_chain_contract", true},
      {"export: intermediary -> licences of the participants (row 3)", "export-licence",
       [](json& d) { d["flags"]["intermediary"] = true; }, "participant_activity_licence", true},
      {"export: re-export -> permit of the country of origin (row 1)", "export-licence",
       [](json& d) { d["flags"]["reexport"] = true; }, "origin_country_export_permit", true},
      {"export: contract without a term -> written confirmation (row 1)", "export-licence",
       [](json& d) { d["attachments"][0].erase("valid_until"); }, "contract_validity_confirmation", true},
      {"export: fee not paid through the gateway -> payment (standard 8)", "export-licence",
       [](json& d) { d["flags"]["fee_paid_through_gateway"] = false; }, "fee_payment", true},
      {"export: foreign intermediary, military goods -> its authorisation (row 5)", "export-licence",
       [](json& d) {
         d["flags"]["foreign_intermediary"] = true;
         d["flags"]["military"] = true;
       },
       "intermediary_authorisation", true},
      {"export: processing -> conditions of processing (row 7)", "export-licence",
       [](json& d) { d["flags"]["export_purpose"] = "processing"; }, "processing_conditions_document", true},
      {"export: repair -> proof the goods failed (row 8)", "export-licence",
       [](json& d) { d["flags"]["export_purpose"] = "repair"; }, "failure_confirmation", true},
      {"export: category 0 -> the recipient state's peaceful-use assurance (row 9)", "export-licence",
       [](json& d) { set_category(d, "0B001", "0"); }, "peaceful_use_assurance", true},
      {"export: category 0 to a nuclear-weapon state -> no guarantee document (row 4)", "export-licence",
       [](json& d) {
         set_category(d, "0B001", "0");
         d["end_user"]["country"] = "US";
       },
       "guarantee_document", false},
      {"export: NSG categories 1-9 -> the end user's peaceful-use assurance (row 10)", "export-licence",
       [](json& d) {
         set_category(d, "3A001", "3");
         d["flags"]["nuclear_suppliers_group"] = true;
       },
       "end_user_peaceful_use_assurance", true},
      {"export: NSG item to a nuclear-weapon state -> no guarantee document (row 4)", "export-licence",
       [](json& d) {
         set_category(d, "3A001", "3");
         d["flags"]["nuclear_suppliers_group"] = true;
         d["end_user"]["country"] = "FR";
       },
       "guarantee_document", false},
      {"export: return to the manufacturer -> no guarantee document (row 4)", "export-licence",
       [](json& d) { d["flags"]["return_to_manufacturer"] = true; }, "guarantee_document", false},
      {"export: return to the manufacturer -> proof of import (row 4)", "export-licence",
       [](json& d) { d["flags"]["return_to_manufacturer"] = true; }, "import_proof", true},
      {"export: category 10 -> no guarantee document (row 4)", "export-licence",
       [](json& d) { set_category(d, "10A001", "10"); }, "guarantee_document", false},
      {"export: category 10 -> no internal compliance programme (row 6)", "export-licence",
       [](json& d) { set_category(d, "10A001", "10"); }, "internal_control_programme", false},
      {"export: previously imported goods back for repair -> no guarantee document (row 4)", "export-licence",
       [](json& d) {
         d["flags"]["previously_imported"] = true;
         d["flags"]["export_purpose"] = "warranty_return";
       },
       "guarantee_document", false},
      {"export: explosives by road -> vehicle certificate (row 11)", "export-licence",
       [](json& d) {
         d["flags"]["goods_category"] = "explosives";
         d["flags"]["road_transport"] = true;
       },
       "dangerous_goods_vehicle_certificate", true},
      {"export: explosives by road -> special permit for classes 1, 6, 7 (row 12)", "export-licence",
       [](json& d) {
         d["flags"]["goods_category"] = "explosives";
         d["flags"]["road_transport"] = true;
       },
       "dangerous_goods_special_permit", true},
      {"general licence: the export table applies (fee)", "general-export-licence",
       [](json& d) { d["flags"].erase("fee_paid_through_gateway"); }, "fee_payment", true},
      {"import: intermediary -> contracts of the chain (row 2)", "import-licence",
       [](json& d) { d["flags"]["intermediary"] = true; }, "transaction_chain_contract", true},
      {"import: category 0 -> the end user's peaceful-use assurance (row 5)", "import-licence",
       [](json& d) { set_category(d, "0C001", "0"); }, "end_user_peaceful_use_assurance", true},
      {"import: category 0 -> certificate of origin (row 6)", "import-licence",
       [](json& d) { set_category(d, "0C001", "0"); }, "certificate_of_origin", true},
      {"import: chemicals of category 1 -> safety data sheet (row 7)", "import-licence",
       [](json& d) {
         set_category(d, "1C350", "1");
         d["flags"]["chemicals"] = true;
       },
       "chemical_safety_data_sheet", true},
      {"import: chemicals -> liability insurance (row 8)", "import-licence",
       [](json& d) {
         set_category(d, "1C350", "1");
         d["flags"]["chemicals"] = true;
       },
       "liability_insurance_contract", true},
      {"import: chemicals, new warehouses -> environmental expertise (row 9)", "import-licence",
       [](json& d) {
         set_category(d, "1C350", "1");
         d["flags"]["chemicals"] = true;
         d["flags"]["new_warehouses"] = true;
       },
       "environmental_expertise_conclusion", true},
      {"import: chemicals -> waste disposal contract (row 10)", "import-licence",
       [](json& d) {
         set_category(d, "1C350", "1");
         d["flags"]["chemicals"] = true;
       },
       "waste_disposal_contract", true},
      {"import: chemicals -> sanitary conclusion on the warehouse (row 12)", "import-licence",
       [](json& d) {
         set_category(d, "1C350", "1");
         d["flags"]["chemicals"] = true;
       },
       "sanitary_conclusion", true},
      {"import: chemicals by road -> special permit (row 14)", "import-licence",
       [](json& d) {
         set_category(d, "1C350", "1");
         d["flags"]["chemicals"] = true;
         d["flags"]["road_transport"] = true;
       },
       "dangerous_goods_special_permit", true},
      {"import: NSG categories 1-9 -> the end user's peaceful-use assurance (row 15)", "import-licence",
       [](json& d) {
         set_category(d, "2B001", "2");
         d["flags"]["nuclear_suppliers_group"] = true;
       },
       "end_user_peaceful_use_assurance", true},
      {"import: medical equipment of category 10 -> its registration (row 16)", "import-licence",
       [](json& d) {
         set_category(d, "10A001", "10");
         d["flags"]["medical_equipment"] = true;
       },
       "medical_device_registration", true},
      {"import: explosives -> permit for permanent use (row 17)", "import-licence",
       [](json& d) { d["flags"]["goods_category"] = "explosives"; }, "explosives_use_permit", true},
      {"import: fee paid through the gateway -> no payment document", "import-licence",
       [](json& d) { d["flags"]["fee_paid_through_gateway"] = true; }, "fee_payment", false},
      {"euc: intermediary -> contract between importer and end user (001 standard 8.4)", "euc",
       [](json& d) {
         d["flags"] = {{"intermediary", true}};
       },
       "transaction_chain_contract", true},
  };
  return table;
}

}  // namespace

// A re-export applicant is always foreign (002 lines 103, 109; `check`
// refuses a resident one), so its registration document (002 annex 2) is
// always asked: no flip to test, only that it is asked.
TEST(QualificationRequirements, AReexportApplicantShowsItsForeignRegistration) {
  EXPECT_TRUE(asked(sample("reexport-permit")).contains("applicant_registration_document"));
}

TEST(QualificationRequirements, EachConditionFlipsWhatIsAsked) {
  for (const auto& flip : flips()) {
    auto doc = sample(flip.sample);
    EXPECT_EQ(asked(doc).contains(flip.type), !flip.asked_after) << flip.name << ": before the change";
    flip.change(doc);
    EXPECT_EQ(asked(doc).contains(flip.type), flip.asked_after) << flip.name << ": after the change";
  }
}

TEST(QualificationRequirements, ExemptionsHoldOnlyTogetherWithTheirCondition) {
  auto doc = sample("export-licence");
  doc["end_user"]["country"] = "US";  // a nuclear-weapon state, but category 5 is no NSG item
  EXPECT_TRUE(asked(doc).contains("guarantee_document"));
  doc = sample("export-licence");
  doc["flags"]["previously_imported"] = true;  // previously imported, but sold, not repaired
  EXPECT_TRUE(asked(doc).contains("guarantee_document"));
  doc = sample("export-licence");
  doc["flags"]["foreign_intermediary"] = true;  // a foreign intermediary of dual-use goods
  EXPECT_FALSE(asked(doc).contains("intermediary_authorisation"));
  doc = sample("import-licence");
  set_category(doc, "1C350", "1");  // category 1 that is not a chemical
  EXPECT_FALSE(asked(doc).contains("chemical_safety_data_sheet"));
  doc["flags"]["chemicals"] = true;
  doc["flags"]["road_transport"] = true;
  doc["flags"]["dangerous_goods_class"] = "8";  // a class the special permit does not cover
  EXPECT_FALSE(asked(doc).contains("dangerous_goods_special_permit"));
  EXPECT_TRUE(asked(doc).contains("dangerous_goods_vehicle_certificate"));
  doc = sample("export-licence");
  set_category(doc, "10A001", "10");
  doc["flags"]["goods_category"] = "civil_pyrotechnics";  // row 6 exempts category 10 of atomic energy only
  EXPECT_TRUE(asked(doc).contains("internal_control_programme"));
  EXPECT_FALSE(asked(doc).contains("guarantee_document"));
  auto iic = sample("iic");
  iic["flags"] = {{"intermediary", true}};  // the IIC has no end user, so no importer-end user contract
  EXPECT_FALSE(asked(iic).contains("transaction_chain_contract"));
}

TEST(QualificationRequirements, MilitaryGoodsFollowFromTheFlagTheCategoryOrAnMlCode) {
  const std::string clause = "export-1-delivery-certificate-clause";
  auto doc = sample("export-licence");
  EXPECT_FALSE(required_ids(doc).contains(clause));
  doc["flags"]["military"] = true;
  EXPECT_TRUE(required_ids(doc).contains(clause));
  doc = sample("export-licence");
  doc["flags"]["goods_category"] = "military";
  EXPECT_TRUE(required_ids(doc).contains(clause));
  doc = sample("export-licence");
  set_category(doc, "ML11", "ML11");
  EXPECT_TRUE(required_ids(doc).contains(clause));
  for (const auto& d : requirements().required(application(doc)))
    if (d.id == clause) {
      ASSERT_TRUE(d.clause);
      EXPECT_NE(d.clause->ru.find("сертификата подтверждения доставки"), std::string::npos);
      EXPECT_EQ(d.type, "contract");
    }
}

TEST(QualificationRequirements, TheSamplesAreComplete) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(test::source_root() / "samples")) {
    if (entry.path().extension() != ".json") continue;
    const auto app = model::load_application(entry.path().string());
    const json* date = app.find("application.date");
    if (date == nullptr) date = app.find("certificate.date");
    if (date == nullptr) continue;
    const auto report = requirements().check(app, *parse_date(date->get<std::string>()));
    EXPECT_TRUE(report.complete()) << entry.path() << describe(report);
    checked += requirements().required(app).empty() ? 0 : 1;
  }
  EXPECT_GE(checked, 8);  // export (and issued), import, general, euc (two), iic, re-export
}

TEST(QualificationRequirements, KindsWithoutRequirementsGiveAnEmptyReport) {
  for (const char* name : {"refusal", "refusal-to-consider", "hearing-notice", "execution-report"}) {
    const auto app = application(sample(name));
    EXPECT_TRUE(requirements().required(app).empty()) << name;
    const auto report = requirements().check(app, day("2030-01-01"));
    EXPECT_TRUE(report.missing.empty() && report.expired.empty()) << name;
  }
}

TEST(QualificationRequirements, AMissingGuaranteeDocumentIsNamed) {
  auto doc = sample("export-licence");
  doc["attachments"].erase(1);  // the end-user certificate
  const auto report = requirements().check(application(doc), day("2026-03-20"));
  ASSERT_EQ(report.missing.size(), 1u) << describe(report);
  const auto& missing = report.missing[0];
  EXPECT_EQ(missing.type, "guarantee_document");
  EXPECT_EQ(missing.id, "export-4-guarantee");
  EXPECT_EQ(missing.seed, "000:1165-1229");
  EXPECT_EQ(missing.name.ru.rfind("Сертификат конечного пользователя, международный импортный сертификат", 0), 0u);
  EXPECT_NE(missing.name.kk.find("түпкілікті пайдаланушының сертификаты"), std::string::npos);
  EXPECT_TRUE(report.expired.empty());
  EXPECT_FALSE(report.complete());

  // Any of the three kinds of guarantee satisfies the row.
  for (const char* type : {"guarantee_document", "import_certificate", "end_user_certificate"}) {
    auto with = sample("export-licence");
    with["attachments"][1]["type"] = type;
    EXPECT_TRUE(requirements().check(application(with), day("2026-03-20")).complete()) << type;
  }
}

TEST(QualificationRequirements, TheReportFillsARefusalToConsiderFurther) {
  auto doc = sample("export-licence");
  doc["attachments"].erase(1);
  const auto report = requirements().check(application(doc), day("2027-01-10"));
  auto refusal = sample("refusal-to-consider");
  refusal.erase("missing_documents");
  refusal.erase("expired_documents");
  const json lists = report.to_json();
  for (const auto& [key, value] : lists.items()) refusal[key] = value;
  const auto checked = model::check_application(refusal);
  EXPECT_TRUE(checked.ok()) << refusal.dump(2);
  EXPECT_EQ(refusal["missing_documents"][0]["type"], "guarantee_document");
  EXPECT_EQ(refusal["expired_documents"][0]["type"], "contract");
  EXPECT_EQ(refusal["expired_documents"][0]["valid_until"], "2026-12-31");
}

TEST(QualificationRequirements, AnExpiredContractIsReported) {
  const auto doc = sample("export-licence");
  EXPECT_TRUE(requirements().check(application(doc), day("2026-12-31")).complete());  // valid through its last day
  const auto report = requirements().check(application(doc), day("2027-01-01"));
  EXPECT_TRUE(report.missing.empty()) << describe(report);
  ASSERT_EQ(report.expired.size(), 1u) << describe(report);
  const auto& e = report.expired[0];
  EXPECT_EQ(e.type, "contract");
  EXPECT_EQ(e.attachment, 0u);
  EXPECT_EQ(e.number, "KE-DE/2026-014");
  EXPECT_EQ(format_date(e.valid_until), "2026-12-31");
  ASSERT_TRUE(e.date);
  EXPECT_EQ(format_date(*e.date), "2026-01-15");
  EXPECT_EQ(e.seed, "000:1067-1077");
  EXPECT_NE(e.name.ru.find("Внешнеторговый договор"), std::string::npos);
}

TEST(QualificationRequirements, ReportsFollowTheOrderOfTheSeedTable) {
  auto doc = sample("export-licence");
  std::swap(doc["attachments"][0], doc["attachments"][1]);  // the certificate before the contract
  auto report = requirements().check(application(doc), day("2027-03-01"));
  ASSERT_EQ(report.expired.size(), 2u) << describe(report);
  EXPECT_EQ(report.expired[0].type, "contract");  // row 1
  EXPECT_EQ(report.expired[0].attachment, 1u);
  EXPECT_EQ(report.expired[1].type, "end_user_certificate");  // row 4
  EXPECT_EQ(report.expired[1].seed, "000:1165-1229");

  doc = sample("export-licence");
  doc.erase("attachments");
  doc["flags"]["fee_paid_through_gateway"] = false;
  report = requirements().check(application(doc), day("2026-03-20"));
  std::vector<std::string> types;
  for (const auto& d : report.missing) types.push_back(d.type);
  // The contract is asked by three rows (the contract and two clauses) but named once.
  EXPECT_EQ(types,
            (std::vector<std::string>{"fee_payment", "contract", "guarantee_document", "internal_control_programme"}));
}

TEST(QualificationRequirements, AnExpiredAttachmentNoRowAsksForIsStillReported) {
  auto doc = sample("export-licence");
  doc["attachments"].push_back({{"type", "technical_description"},
                                {"number", "TD-8"},
                                {"date", "2025-01-01"},
                                {"valid_until", "2026-12-31"},
                                {"sha256", std::string(64, '0')}});
  const auto report = requirements().check(application(doc), day("2027-01-01"));
  ASSERT_EQ(report.expired.size(), 2u) << describe(report);
  EXPECT_EQ(report.expired[1].type, "technical_description");
  EXPECT_EQ(report.expired[1].seed, "");
  EXPECT_EQ(report.expired[1].name.ru, requirements().document_name("technical_description").ru);
}

TEST(QualificationRequirements, AnAssuranceInsideTheContractSatisfiesItsRow) {
  auto doc = sample("import-licence");
  set_category(doc, "0C001", "0");
  doc["attachments"].push_back({{"type", "certificate_of_origin"},
                                {"number", "CN-CO-2026-118"},
                                {"date", "2026-01-25"},
                                {"sha256", std::string(64, '1')}});
  auto report = requirements().check(application(doc), day("2026-03-20"));
  ASSERT_EQ(report.missing.size(), 1u) << describe(report);
  EXPECT_EQ(report.missing[0].type, "end_user_peaceful_use_assurance");
  doc["attachments"][0]["includes"] = {"end_user_peaceful_use_assurance"};  // 000 lines 1634-1638
  report = requirements().check(application(doc), day("2026-03-20"));
  EXPECT_TRUE(report.complete()) << describe(report);
}

TEST(QualificationRequirements, DocumentsFromStateDatabasesAreNeverAsked) {
  auto doc = sample("import-licence");
  doc["flags"]["goods_category"] = "civil_pyrotechnics";
  const auto required = requirements().required(application(doc));
  int gateway = 0;
  for (const auto& d : required)
    if (d.type == "pyrotechnics_acquisition_permit" || d.type == "pyrotechnics_storage_permit" ||
        d.type == "activity_licence" || d.type == "state_registration") {
      EXPECT_TRUE(d.from_gateway) << d.id;
      ++gateway;
    }
  EXPECT_EQ(gateway, 4);
  EXPECT_TRUE(requirements().check(application(doc), day("2026-03-20")).complete());
}

TEST(QualificationRequirements, TheGuaranteeObligationNamesItsSigners) {
  auto signers = [](const char* name) {
    for (const auto& d : requirements().required(application(sample(name))))
      if (d.type == "importer_guarantee_obligation") return d.signers;
    return std::vector<std::string>{};
  };
  EXPECT_EQ(signers("euc"), (std::vector<std::string>{"importer", "end_user"}));
  EXPECT_EQ(signers("iic"), (std::vector<std::string>{"importer"}));
  auto euc = sample("euc");
  euc["attachments"].erase(0);
  const auto report = requirements().check(application(euc), day("2026-06-10"));
  ASSERT_EQ(report.missing.size(), 1u);
  EXPECT_EQ(report.missing[0].name.kk.rfind("Көрсетілетін қызметті алушының және түпкілікті пайдаланушының", 0), 0u);
  EXPECT_EQ(report.missing[0].seed, "003:191-201; 001:521-529");
}

TEST(QualificationRequirements, EveryTypeHasAName) {
  EXPECT_EQ(requirements().document_name("contract").ru, "Внешнеторговый договор (контракт)");
  EXPECT_THROW(requirements().document_name("guarantee"), Error);
}

// ---------------------------------------------------------------- malformed data

namespace {
// A templates folder with the real common.json and one requirements file,
// one per test (ctest runs tests in parallel processes).
fs::path folder_with(const std::string& file_name, const json& content) {
  const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const fs::path root = test::build_root() / "requirements-test" / test_name / file_name;
  fs::remove_all(root);
  fs::create_directories(root / "requirements");
  fs::copy_file(test::source_root() / "templates" / "common.json", root / "common.json");
  std::ofstream(root / "requirements" / file_name) << content.dump(2);
  return root;
}

json minimal(json requirement) {
  return {{"about", "test"},
          {"service", "export-licence"},
          {"seed", "000"},
          {"act", {{"kk", "акт"}, {"ru", "акт"}}},
          {"requirements", json::array({std::move(requirement)})}};
}

json contract_row() {
  return {{"id", "export-1-contract"},
          {"type", "contract"},
          {"name", {{"kk", "шарт"}, {"ru", "договор"}}},
          {"translated", "kk"},
          {"seed", "000:1067-1077"}};
}

void expect_refused(const std::string& file_name, const json& content, const std::string& words) {
  try {
    QualificationRequirements loaded(folder_with(file_name, content));
    ADD_FAILURE() << "accepted: " << content.dump();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "requirements.invalid");
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(file_name), std::string::npos) << e.what();
  }
}
}  // namespace

TEST(QualificationRequirementsData, MalformedRowsAreRefusedByName) {
  EXPECT_NO_THROW(QualificationRequirements(folder_with("export-licence.json", minimal(contract_row()))));
  auto row = contract_row();
  row["when"] = {{"flag", "intermediairy"}};
  expect_refused("export-licence.json", minimal(row), "intermediairy");
  row = contract_row();
  row["type"] = "contrat";
  expect_refused("export-licence.json", minimal(row), "contrat");
  row = contract_row();
  row["reqired"] = true;
  expect_refused("export-licence.json", minimal(row), "reqired");
  row = contract_row();
  row["when"] = {{"value", "control_list_category"}, {"any_of", json::array()}};
  expect_refused("export-licence.json", minimal(row), "export-1-contract");
  row = contract_row();
  row["when"] = {{"value", "goods_category"}, {"any_of", {"explosive"}}};
  expect_refused("export-licence.json", minimal(row), "explosive");
  row = contract_row();
  row["when"] = {{"not", {{"flag", "military"}}}, {"flag", "intermediary"}};
  expect_refused("export-licence.json", minimal(row), "unknown field");
  row = contract_row();
  row["signers"] = {"importer", "end-user"};
  expect_refused("export-licence.json", minimal(row), "end-user");
  auto states = minimal(contract_row());
  states["nuclear_weapon_states"] = {{"countries", {"US", "UK"}}, {"source", "NPT art. IX(3)"}};
  expect_refused("export-licence.json", states, "UK");
  expect_refused("export-licence.json", minimal(json::array({contract_row(), contract_row()})), "object");
  expect_refused("import-licence.json", minimal(contract_row()), "named after its service");
  auto unknown_service = minimal(contract_row());
  unknown_service["service"] = "export-licences";
  expect_refused("export-licences.json", unknown_service, "not a kind");
}

TEST(QualificationRequirementsData, ARowUsedTwiceIsRefused) {
  auto doc = minimal(contract_row());
  doc["requirements"].push_back(contract_row());
  expect_refused("export-licence.json", doc, "used twice");
}

TEST(QualificationRequirementsData, AnOperatorsChangeTakesEffectWithoutARebuild) {
  auto doc = minimal(contract_row());
  auto row = contract_row();
  row["id"] = "local-power-of-attorney";
  row["type"] = "power_of_attorney";
  row["when"] = {{"value", "applicant_type"}, {"any_of", {"individual"}}};
  doc["requirements"].push_back(row);
  const QualificationRequirements local(folder_with("export-licence.json", doc));
  auto app = sample("export-licence");
  EXPECT_EQ(local.required(application(app)).size(), 1u);
  app["applicant"] = sample("import-licence")["applicant"];  // an entrepreneur
  EXPECT_EQ(local.required(application(app)).size(), 1u);
  app["applicant"]["type"] = "individual";
  const auto report = local.check(application(app), day("2026-03-20"));
  ASSERT_EQ(report.missing.size(), 1u);
  EXPECT_EQ(report.missing[0].type, "power_of_attorney");
}
