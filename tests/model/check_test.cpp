#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "qujat/model/application.h"
#include "qujat/model/check.h"
#include "support/nca_material.h"

using namespace qujat::model;
namespace fs = std::filesystem;

namespace {
fs::path samples() { return qujat::test::source_dir() / "samples"; }

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const CheckReport& r) {
  std::string s;
  for (const auto& p : r.problems) s += "\n  " + p.path + " " + p.code + ": " + p.message.en;
  return s;
}

nlohmann::json sample(const std::string& name) { return read_application_file((samples() / name).string()); }
}  // namespace

TEST(CheckSamples, EveryKindHasAValidSample) {
  for (Kind k : all_kinds()) {
    const auto file = samples() / (std::string(kind_name(k)) + ".json");
    ASSERT_TRUE(fs::exists(file)) << file;
    const auto report = check_application(read_application_file(file.string()), k);
    EXPECT_TRUE(report.ok()) << file << describe(report);
    EXPECT_EQ(report.kind, k);
  }
}

TEST(CheckSamples, EveryValidSampleIsAccepted) {
  for (const auto& file : json_files(samples())) {
    const auto report = check_application(read_application_file(file.string()));
    EXPECT_TRUE(report.ok()) << file << describe(report);
  }
}

// Each invalid sample is named after what is wrong; the check must name that field.
TEST(CheckSamples, EveryInvalidSampleIsRejectedAtTheNamedField) {
  const std::map<std::string, std::pair<std::string, std::string>> expected{
      {"euc-missing-goods", {"/goods", "list.too_short"}},
      {"execution-report-negative-remaining", {"/goods/0/remaining_quantity", "decimal.negative"}},
      {"export-licence-attachment-sha256-uppercase", {"/attachments/1/sha256", "sha256.invalid"}},
      {"export-licence-bad-bin-checksum", {"/applicant/bin", "bin.check_digit"}},
      {"export-licence-bad-control-code", {"/goods/0/control_code", "control_code.invalid"}},
      {"export-licence-bad-country", {"/buyer/country", "country.unknown"}},
      {"export-licence-bad-currency", {"/currency", "currency.unknown"}},
      {"export-licence-bad-date", {"/application/date", "date.invalid"}},
      {"export-licence-bad-hs-code", {"/goods/0/hs_code", "hs_code.invalid"}},
      {"export-licence-bad-unit-code", {"/goods/0/unit/code", "unit.code_invalid"}},
      {"export-licence-issued-valid-until-beyond-contract", {"/licence/valid_until", "validity.beyond_document"}},
      {"export-licence-issued-valid-from-before-issue", {"/licence/valid_from", "validity.before_issue"}},
      {"export-licence-missing-applicant", {"/applicant", "field.missing"}},
      {"export-licence-quantity-as-json-number", {"/goods/0/quantity", "decimal.not_string"}},
      {"export-licence-to-before-from", {"/validity/to", "validity.to_before_from"}},
      {"export-licence-total-not-sum", {"/total_value", "total.not_sum"}},
      {"export-licence-unknown-field", {"/curency", "field.unknown"}},
      {"export-licence-validity-beyond-contract", {"/validity/to", "validity.beyond_document"}},
      {"export-licence-validity-beyond-guarantee-document", {"/validity/to", "validity.beyond_document"}},
      {"export-licence-validity-over-one-year", {"/validity/to", "validity.over_one_year"}},
      {"general-export-licence-bin-bad-entity-type", {"/applicant/bin", "bin.entity_type"}},
      {"general-export-licence-control-code-not-allowed", {"/goods/1/control_code", "control_code.general_licence"}},
      {"export-licence-two-commodity-codes", {"/goods/1/hs_code", "goods.one_commodity_code"}},
      {"hearing-notice-missing-hearing", {"/hearing", "field.missing"}},
      {"iic-with-end-user", {"/end_user", "field.unknown"}},
      {"import-licence-iin-bad-birth-date", {"/applicant/iin", "iin.birth_date"}},
      {"import-licence-iin-off-by-one", {"/end_user/iin", "iin.check_digit"}},
      {"import-licence-iin-wrong-century-digit", {"/applicant/iin", "iin.century_digit"}},
      {"reexport-permit-no-personal-data-consent", {"/personal_data_consent", "consent.required"}},
      {"reexport-permit-applicant-not-foreign", {"/applicant/type", "reexport.applicant_not_foreign"}},
      {"reexport-permit-destination-kazakhstan", {"/destination_country", "reexport.destination_kazakhstan"}},
      {"refusal-ground-out-of-range", {"/grounds/2/code", "ground.unknown"}},
      {"refusal-ground-12-before-the-year-is-over", {"/grounds/0/code", "ground.mfa_year_not_over"}},
      {"hearing-notice-ground-12-without-mfa-check", {"/grounds/0/code", "ground.mfa_check_unknown"}},
      {"refusal-to-consider-nothing-missing", {"/missing_documents", "documents.none_listed"}},
      {"trade-import-licence-bad-email", {"/applicant/email", "email.invalid"}},
  };
  const auto files = json_files(samples() / "invalid");
  EXPECT_EQ(files.size(), expected.size()) << "every invalid sample needs its expectation here";
  for (const auto& file : files) {
    const auto report = check_application(read_application_file(file.string()));
    EXPECT_FALSE(report.ok()) << file;
    const auto it = expected.find(file.stem().string());
    ASSERT_NE(it, expected.end()) << "no expectation for " << file;
    bool found = false;
    for (const auto& p : report.problems) found = found || (p.path == it->second.first && p.code == it->second.second);
    EXPECT_TRUE(found) << file << " should report " << it->second.first << " " << it->second.second << describe(report);
  }
}

TEST(Check, EveryProblemHasKazakhRussianAndEnglishWording) {
  const auto& catalogue = check_messages();
  for (auto code : problem_codes()) EXPECT_TRUE(catalogue.has(code)) << code;
  const auto m = catalogue.render("currency.unknown", {{"value", "EUX"}});
  EXPECT_NE(m.kk.find("EUX"), std::string::npos);
  EXPECT_NE(m.ru.find("EUX"), std::string::npos);
  EXPECT_NE(m.en.find("EUX"), std::string::npos);
  EXPECT_EQ(m.en.find("{value}"), std::string::npos);
}

TEST(Check, KindMustMatchTheExpectedKind) {
  const auto report = check_application(sample("euc.json"), Kind::iic);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems[0].path, "/kind");
  EXPECT_EQ(report.problems[0].code, "kind.mismatch");
  EXPECT_EQ(report.problems[0].params.at("expected"), "iic");
  EXPECT_EQ(report.problems[0].params.at("actual"), "euc");
}

TEST(Check, UnknownOrMissingKind) {
  auto doc = sample("export-licence.json");
  doc["kind"] = "export-license";
  auto report = check_application(doc);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems[0].code, "kind.unknown");
  doc.erase("kind");
  report = check_application(doc, Kind::export_licence);
  ASSERT_EQ(report.problems.size(), 1u) << describe(report);
  EXPECT_EQ(report.problems[0].code, "field.missing");
  EXPECT_EQ(report.problems[0].path, "/kind");
}

TEST(Check, EveryProblemIsListedNotJustTheFirst) {
  auto doc = sample("export-licence.json");
  doc["currency"] = "EUX";
  doc["applicant"]["bin"] = "040540001231";
  doc["goods"][0]["hs_code"] = "85176200";
  doc["validity"]["to"] = "2027-12-31";
  doc["extra"] = true;
  const auto report = check_application(doc);
  for (const char* path : {"/currency", "/applicant/bin", "/goods/0/hs_code", "/validity/to", "/extra"})
    EXPECT_TRUE(report.mentions(path)) << path << describe(report);
}

TEST(Check, PartyRulesByType) {
  auto doc = sample("export-licence.json");
  doc["buyer"]["bin"] = "940140000385";  // a foreign party has no BIN
  doc["manufacturer"].erase("bin");
  doc["applicant"]["country"] = "DE";
  const auto report = check_application(doc);
  EXPECT_TRUE(report.mentions("/buyer/bin"));
  EXPECT_TRUE(report.mentions("/manufacturer/bin"));
  EXPECT_TRUE(report.mentions("/applicant/country"));
}

TEST(Check, WrongJsonTypesAreProblemsNotCrashes) {
  for (const char* text :
       {"null", "[]", "42", "\"export-licence\"", "{\"kind\": 5}", "{\"kind\": \"euc\", \"goods\": {}}",
        "{\"kind\": \"export-licence\", \"validity\": \"2026\", \"goods\": [1, null, []]}"}) {
    const auto report = check_application(read_application_json(text));
    EXPECT_FALSE(report.ok()) << text;
  }
}

// Oversized values are refused by name: a 4,001-character name would
// otherwise be laid out over dozens of sheets. Characters, not bytes, count
// (Kazakh letters take two bytes in UTF-8).
TEST(Check, OversizedTextsAndListsAreRefusedAtTheirField) {
  auto doc = sample("export-licence.json");
  doc["applicant"]["name"]["kk"] = std::string(4000, 'A');
  std::string kazakh;
  for (int i = 0; i < 4001; ++i) kazakh += "Ә";
  doc["applicant"]["name"]["ru"] = kazakh;
  auto report = check_application(doc);
  ASSERT_EQ(report.problems.size(), 1u) << describe(report);
  EXPECT_EQ(report.problems[0].path, "/applicant/name/ru");
  EXPECT_EQ(report.problems[0].code, "string.too_long");
  EXPECT_NE(report.problems[0].message.kk.find("4001"), std::string::npos) << report.problems[0].message.kk;
  EXPECT_NE(report.problems[0].message.ru.find("4000"), std::string::npos) << report.problems[0].message.ru;

  auto euc = sample("euc-forty-goods.json");
  auto& goods = euc["goods"];
  const auto row = goods[0];
  while (goods.size() <= 1000) goods.push_back(row);
  report = check_application(euc);
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.mentions("/goods"));
  bool too_long = false;
  for (const auto& p : report.problems) too_long = too_long || (p.path == "/goods" && p.code == "list.too_long");
  EXPECT_TRUE(too_long) << describe(report);
}

TEST(ReadApplication, GarbageIsUnreadable) {
  for (std::string text :
       {std::string(""), std::string("{"), std::string("not json"), std::string("\x89PNG\r\n\x1a\n", 8),
        std::string("{\"a\": \"\xff\xfe\"}"), std::string("{\"a\": 1} trailing")}) {
    try {
      read_application_json(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const qujat::Error& e) {
      EXPECT_EQ(e.code(), "model.unreadable");
    }
  }
}

TEST(ReadApplication, DeepNestingIsRefusedWithoutRecursion) {
  const std::string deep(1'000'000, '[');
  try {
    read_application_json(deep);
    FAIL();
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "model.unreadable");
  }
}

TEST(ReadApplication, TooLargeIsRefused) {
  std::string big = "{\"kind\": \"euc\", \"x\": \"" + std::string(max_application_bytes, 'a') + "\"}";
  try {
    read_application_json(big);
    FAIL();
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "model.unreadable");
  }
  EXPECT_THROW(read_application_file("/nonexistent/application.json"), qujat::Error);
}

TEST(Application, TypedViewsOfACheckedApplication) {
  std::ifstream in(samples() / "export-licence.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto app = parse_application(text.str(), Kind::export_licence);
  EXPECT_EQ(app.kind(), Kind::export_licence);
  const auto applicant = app.party("applicant");
  ASSERT_TRUE(applicant);
  EXPECT_EQ(applicant->type, PartyType::legal_entity);
  EXPECT_EQ(applicant->identification_number(), app.json()["applicant"]["bin"].get<std::string>());
  EXPECT_EQ(applicant->country, "KZ");
  const auto goods = app.goods();
  ASSERT_EQ(goods.size(), 1u);
  EXPECT_EQ(goods[0].hs_code, "8517620009");
  EXPECT_EQ(goods[0].quantity, Decimal::from_string("10"));
  EXPECT_EQ(app.total_value(), Decimal::from_string("125000.00"));
  ASSERT_NE(app.find("goods.0.unit.name.kk"), nullptr);
  EXPECT_EQ(app.find("goods.0.unit.name.kk")->get<std::string>(), "дана");
  EXPECT_EQ(app.find("goods.1"), nullptr);
  EXPECT_EQ(app.find("applicant.nothing"), nullptr);
  EXPECT_FALSE(app.party("buyers.0"));
}

TEST(Application, InvalidApplicationCarriesTheReport) {
  auto doc = sample("export-licence.json");
  doc["currency"] = "EUX";
  try {
    Application::from_json(doc);
    FAIL();
  } catch (const InvalidApplication& e) {
    EXPECT_EQ(e.code(), "model.invalid");
    ASSERT_EQ(e.report().problems.size(), 1u);
    EXPECT_EQ(e.report().problems[0].path, "/currency");
  }
}

TEST(Application, ForeignPartiesInAList) {
  const auto app = Application::from_json(sample("general-export-licence.json"));
  const auto buyer = app.party("buyers.1");
  ASSERT_TRUE(buyer);
  EXPECT_EQ(buyer->type, PartyType::foreign);
  EXPECT_EQ(buyer->country, "KG");
  EXPECT_TRUE(buyer->identification_number().empty());
}
