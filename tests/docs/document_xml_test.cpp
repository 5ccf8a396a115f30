// Every valid sample becomes XML that fits its kind's XSD (checked by the
// engine and by xmllint), carries every input value and keeps Kazakh
// letters byte for byte.
#include <gtest/gtest.h>

#include <cstdlib>

#include "docs/docs_test_support.h"
#include "qujat/common/error.h"
#include "qujat/model/check.h"
#include "support/paths.h"

using namespace qujat;

namespace {

docs::DocumentMeta meta_for(const nlohmann::json& app) {
  return {app["kind"].get<std::string>(), "KZ-TEST-2026-000001", *parse_date("2026-04-28"), {"kk", "ru"}};
}

class EverySample : public ::testing::TestWithParam<std::string> {};

TEST_P(EverySample, IsValidInputToBeginWith) {
  auto app = test::read_sample(GetParam());
  auto report = model::check_application(app);
  EXPECT_TRUE(report.ok()) << report.to_json().dump(2);
}

TEST_P(EverySample, XmlFitsItsSchemaAndCarriesEveryInputValue) {
  auto app = test::read_sample(GetParam());
  auto meta = meta_for(app);
  std::string xml;
  try {
    xml = test::engine().build_xml(app, meta);
  } catch (const Error& e) {
    FAIL() << e.full_message();
  }
  EXPECT_NE(xml.find("xmlns=\"urn:qujat:doc:" + meta.kind + ":1\""), std::string::npos);
  EXPECT_TRUE(test::engine().validate_xml(meta.kind, xml).empty());
  std::vector<std::pair<std::string, std::string>> values;
  test::leaves(app, "", values);
  for (const auto& [path, value] : values)
    EXPECT_NE(xml.find(test::xml_escaped(value)), std::string::npos) << GetParam() << ": " << path << " = " << value;
}

TEST_P(EverySample, XmllintAgreesWithTheEngine) {
  auto app = test::read_sample(GetParam());
  auto meta = meta_for(app);
  auto xml = test::engine().build_xml(app, meta);
  auto file = std::filesystem::temp_directory_path() / ("qujat-xmllint-" + GetParam() + ".xml");
  std::ofstream(file, std::ios::binary) << xml;
  auto xsd = test::engine().schemas_dir() / (meta.kind + ".xsd");
  std::string command = "xmllint --noout --nonet --schema '" + xsd.string() + "' '" + file.string() + "' 2>/dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::filesystem::remove(file);
}

TEST_P(EverySample, PrintedFormBuilds) {
  auto app = test::read_sample(GetParam());
  auto form = test::engine().build_form(app, meta_for(app));
  EXPECT_FALSE(form.title.kk.empty());
  EXPECT_FALSE(form.title.ru.empty());
  EXPECT_FALSE(form.blocks.empty());
}

INSTANTIATE_TEST_SUITE_P(Samples, EverySample, ::testing::ValuesIn(test::valid_samples()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(DocumentXml, KazakhLettersSurviveByteForByte) {
  auto app = test::read_sample("export-licence");
  auto xml = test::engine().build_xml(app, meta_for(app));
  const std::string name = app["applicant"]["name"]["kk"].get<std::string>();
  EXPECT_NE(xml.find(name), std::string::npos);
  for (const char* letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "Ә", "Қ", "І"}) {
    nlohmann::json probe = app;
    probe["special_conditions"]["kk"] = std::string("сынақ ") + letter;
    auto out = test::engine().build_xml(probe, meta_for(probe));
    EXPECT_NE(out.find(std::string("<text xml:lang=\"kk\">сынақ ") + letter + "</text>"), std::string::npos) << letter;
  }
  EXPECT_EQ(xml.find("&#"), std::string::npos) << "no character references: UTF-8 as is";
}

TEST(DocumentXml, CodesStayCodesWithNamesAlongside) {
  auto app = test::read_sample("export-licence");
  auto xml = test::engine().build_xml(app, meta_for(app));
  EXPECT_NE(xml.find("<country name-kk=\"Германия\" name-ru=\"Германия\">DE</country>"), std::string::npos);
  EXPECT_NE(xml.find("<currency name-kk=\"Еуро\" name-ru=\"евро\">EUR</currency>"), std::string::npos);
  EXPECT_NE(xml.find("<hs_code>"), std::string::npos);
  EXPECT_NE(xml.find("<code>796</code>"), std::string::npos);
}

TEST(DocumentXml, MetaNamesKindNumberDateAndLanguages) {
  auto app = test::read_sample("euc");
  docs::DocumentMeta meta{"euc", "KZ-EUC-2026-000007", *parse_date("2026-01-09"), {"kk"}};
  auto xml = test::engine().build_xml(app, meta);
  EXPECT_NE(xml.find("<meta>\n    <kind>euc</kind>\n    <number>KZ-EUC-2026-000007</number>\n    "
                     "<issue_date>2026-01-09</issue_date>\n    <languages>kk</languages>\n  </meta>"),
            std::string::npos)
      << xml.substr(0, 400);
}

TEST(DocumentXml, DataThatDoesNotFitTheSchemaIsRefusedBeforeSigning) {
  auto app = test::read_sample("export-licence");
  app["goods"][0]["hs_code"] = "not-a-code";
  try {
    test::engine().build_xml(app, meta_for(app));
    FAIL() << "accepted a document that does not fit its XSD";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "docs.invalid_xml");
    EXPECT_FALSE(e.causes().empty());
  }
}

TEST(DocumentXml, RefusalGroundsCarryTheCatalogueTextInBothLanguages) {
  auto app = test::read_sample("refusal");
  auto xml = test::engine().build_xml(app, meta_for(app));
  for (const auto& g : app["grounds"]) {
    auto code = g["code"].get<long>();
    EXPECT_NE(xml.find("<code>" + std::to_string(code) + "</code>"), std::string::npos);
  }
  auto legal = xml.find("<legal_text>");
  ASSERT_NE(legal, std::string::npos);
  EXPECT_NE(xml.find("<text xml:lang=\"kk\">", legal), std::string::npos);
  EXPECT_NE(xml.find("<text xml:lang=\"ru\">", legal), std::string::npos);
}

TEST(DocumentXml, EucWithFortyGoodsKeepsAllForty) {
  auto app = test::read_sample("euc-forty-goods");
  ASSERT_EQ(app["goods"].size(), 40u);
  auto xml = test::engine().build_xml(app, meta_for(app));
  std::size_t count = 0;
  for (auto pos = xml.find("<hs_code>"); pos != std::string::npos; pos = xml.find("<hs_code>", pos + 1)) ++count;
  EXPECT_EQ(count, 40u);
}

}  // namespace

namespace {

// Optional fields of schemas/application.schema.json that no sample carries
// still fit the kind's XSD.
TEST(DocumentXml, OptionalContractFieldsFitTheirSchemas) {
  auto permit = test::read_sample("reexport-permit");
  permit["permit"]["number"] = "KZ-REX-2026-000001";
  permit["permit"]["valid_from"] = "2026-05-08";
  permit["flags"] = {{"military", false}, {"export_purpose", "repair"}, {"dangerous_goods_class", "6"},
                     {"nuclear_suppliers_group", true}, {"fee_paid_through_gateway", true}};
  permit["attachments"][0]["includes"] = {"end_user_assurance", "end_user_peaceful_use_assurance"};
  auto rtc = test::read_sample("refusal-to-consider");
  rtc["details"] = {{"kk", "Толығырақ"}, {"ru", "Подробнее"}};
  rtc["expired_documents"] = nlohmann::json::array();
  auto euc = test::read_sample("euc");
  euc["application"] = {{"number", "KZ01"}, {"date", "2026-05-20"}, {"received_at", "2026-05-20T10:00:00+05:00"}};
  auto cc = test::read_sample("classification-conclusion");
  cc["items"][0]["details"] = {{"kk", "Ескерту"}, {"ru", "Примечание"}};
  for (const auto& app : {permit, rtc, euc, cc}) {
    try {
      auto xml = test::engine().build_xml(app, meta_for(app));
      std::vector<std::pair<std::string, std::string>> values;
      test::leaves(app, "", values);
      for (const auto& [path, value] : values) EXPECT_NE(xml.find(test::xml_escaped(value)), std::string::npos) << path;
    } catch (const Error& e) {
      ADD_FAILURE() << app["kind"] << ": " << e.full_message();
    }
  }
  auto form = test::engine().build_form(permit, meta_for(permit));
  EXPECT_EQ(form.signatory_name, permit["permit"]["licensor"]["full_name"].get<std::string>());
}

}  // namespace

namespace {

// Every top-level field the application contract allows for a kind
// (schemas/application.schema.json $defs/<kind>) has its element in the
// kind's XSD, so a field added to the contract cannot make issuing fail.
TEST(DocumentXml, EveryKindsXsdCoversItsContractFields) {
  auto contract = nlohmann::json::parse(test::read_text(qujat::test::source_root() / "schemas" / "application.schema.json"));
  for (const auto kind_enum : model::all_kinds()) {
    const std::string kind(model::kind_name(kind_enum));
    const auto& def = contract["$defs"][kind];
    ASSERT_TRUE(def.contains("properties")) << kind;
    auto xsd = test::read_text(test::engine().schemas_dir() / (kind + ".xsd"));
    for (const auto& [field, _] : def["properties"].items())
      EXPECT_NE(xsd.find("name=\"" + field + "\""), std::string::npos) << kind << ": " << field;
  }
}

}  // namespace
