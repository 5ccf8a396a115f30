// Attachments name their files by SHA-256 and may say which other required
// documents the same file contains; the flags the qualification requirements
// read are checked like every other field.
#include <gtest/gtest.h>

#include <fstream>

#include "qujat/model/application.h"
#include "qujat/model/document_types.h"
#include "support/paths.h"

using namespace qujat::model;

namespace {
nlohmann::json sample(const std::string& name) {
  return read_application_file((qujat::test::source_root() / "samples" / name).string());
}
nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}
bool has_problem(const CheckReport& report, const std::string& path, const std::string& code) {
  for (const auto& p : report.problems)
    if (p.path == path && p.code == code) return true;
  return false;
}
}  // namespace

TEST(Attachments, EveryAttachmentOfEverySampleNamesItsFileBySha256) {
  for (const char* name : {"export-licence.json", "import-licence.json", "general-export-licence.json",
                           "reexport-permit.json", "euc.json", "iic.json"}) {
    const auto doc = sample(name);
    ASSERT_TRUE(doc.contains("attachments")) << name;
    for (const auto& a : doc["attachments"]) EXPECT_EQ(a.at("sha256").get<std::string>().size(), 64u) << name;
  }
}

TEST(Attachments, Sha256IsRequired) {
  auto doc = sample("export-licence.json");
  doc["attachments"][0].erase("sha256");
  const auto report = check_application(doc);
  EXPECT_TRUE(has_problem(report, "/attachments/0/sha256", "field.missing"));
}

TEST(Attachments, Sha256IsSixtyFourLowercaseHexDigits) {
  const std::string good(64, 'a');
  for (const std::string& bad : {std::string(63, 'a'), std::string(65, 'a'), std::string(64, 'A'),
                                 std::string(63, 'a') + "g", std::string(62, '0') + " 0"}) {
    auto doc = sample("export-licence.json");
    doc["attachments"][2]["sha256"] = bad;
    const auto report = check_application(doc);
    ASSERT_TRUE(has_problem(report, "/attachments/2/sha256", "sha256.invalid")) << bad;
    for (const auto& p : report.problems)
      if (p.code == "sha256.invalid") {
        EXPECT_NE(p.message.kk.find("64"), std::string::npos);
        EXPECT_NE(p.message.ru.find("SHA-256"), std::string::npos);
        EXPECT_EQ(p.params.at("value"), bad);
      }
  }
  auto doc = sample("export-licence.json");
  doc["attachments"][2]["sha256"] = good;
  EXPECT_TRUE(check_application(doc).ok());
  doc["attachments"][2]["sha256"] = 42;
  EXPECT_TRUE(has_problem(check_application(doc), "/attachments/2/sha256", "type.string"));
}

TEST(Attachments, IncludesNamesKnownDocumentTypes) {
  auto doc = sample("import-licence.json");
  doc["attachments"][0]["includes"] = {"end_user_peaceful_use_assurance", "contract"};
  EXPECT_TRUE(check_application(doc).ok());
  doc["attachments"][0]["includes"] = {"assurance"};
  EXPECT_TRUE(has_problem(check_application(doc), "/attachments/0/includes/0", "value.not_allowed"));
  doc["attachments"][0]["includes"] = "end_user_assurance";
  EXPECT_TRUE(has_problem(check_application(doc), "/attachments/0/includes", "type.array"));
}

TEST(Attachments, EucAndIicCarryAttachmentsAndFlags) {
  for (const char* name : {"euc.json", "iic.json"}) {
    auto doc = sample(name);
    doc["flags"] = {{"intermediary", true}};
    EXPECT_TRUE(check_application(doc).ok()) << name;
    doc["attachments"][0]["type"] = "guarantee";
    EXPECT_TRUE(has_problem(check_application(doc), "/attachments/0/type", "value.not_allowed")) << name;
  }
}

// One vocabulary: the checker's list, the schema's enum and the names in
// templates/common.json agree.
TEST(DocumentTypes, TheSchemaAndTheCatalogueNameEveryType) {
  const auto schema = read_json(qujat::test::source_root() / "schemas" / "application.schema.json");
  const auto& enumeration = schema.at("$defs").at("document_type").at("enum");
  const auto types = document_types();
  ASSERT_EQ(enumeration.size(), types.size());
  for (std::size_t i = 0; i < types.size(); ++i) EXPECT_EQ(enumeration[i].get<std::string>(), types[i]);
  const auto common = read_json(qujat::test::source_root() / "templates" / "common.json");
  for (auto type : types) {
    const auto& names = common.at("attachment_types");
    ASSERT_TRUE(names.contains(std::string(type))) << type;
    EXPECT_FALSE(names[std::string(type)].at("kk").get<std::string>().empty()) << type;
    EXPECT_FALSE(names[std::string(type)].at("ru").get<std::string>().empty()) << type;
  }
  EXPECT_TRUE(is_document_type("importer_guarantee_obligation"));
  EXPECT_FALSE(is_document_type("guarantee"));
}

TEST(Flags, TheCircumstancesOfTheQualificationTables) {
  auto doc = sample("export-licence.json");
  doc["flags"]["nuclear_suppliers_group"] = true;
  doc["flags"]["return_to_manufacturer"] = true;
  doc["flags"]["export_purpose"] = "repair";
  doc["flags"]["dangerous_goods_class"] = "1";
  doc["flags"]["goods_category"] = "civil_pyrotechnics";
  EXPECT_TRUE(check_application(doc).ok());
  doc["flags"]["export_purpose"] = "sale";
  doc["flags"]["dangerous_goods_class"] = "10";
  doc["flags"]["road_transport"] = "yes";
  const auto report = check_application(doc);
  EXPECT_TRUE(has_problem(report, "/flags/export_purpose", "value.not_allowed"));
  EXPECT_TRUE(has_problem(report, "/flags/dangerous_goods_class", "value.not_allowed"));
  EXPECT_TRUE(has_problem(report, "/flags/road_transport", "type.boolean"));
}
