// XSD validation from local files only.
#include <gtest/gtest.h>

#include <fstream>

#include "qujat/common/error.h"
#include "qujat/xml/schema.h"
#include "support/paths.h"

namespace qujat::xml {
namespace {

TEST(Schema, ValidatesAndExplains) {
  std::string path = qujat::test::build_root().string() + "/schema_test.xsd";
  std::ofstream(path) << R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="licence"><xs:complexType><xs:sequence>
    <xs:element name="number" type="xs:string"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>)";
  Schema schema = Schema::from_file(path);
  EXPECT_TRUE(schema.validate(Document::parse("<licence><number>KZ-1</number></licence>")).empty());
  auto problems = schema.validate(Document::parse("<licence><nomer>KZ-1</nomer></licence>"));
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].find("nomer"), std::string::npos) << problems[0];
  EXPECT_THROW(Schema::from_file("/nonexistent.xsd"), Error);
}

TEST(Schema, NeverImportsOverTheNetwork) {
  std::string path = qujat::test::build_root().string() + "/schema_net_test.xsd";
  std::ofstream(path) << R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:x" schemaLocation="http://example.invalid/x.xsd"/>
  <xs:element name="a" type="xs:string"/>
</xs:schema>)";
  // Either the import is skipped with a warning or the schema fails; it is never fetched.
  try {
    Schema schema = Schema::from_file(path);
    EXPECT_TRUE(schema.validate(Document::parse("<a>x</a>")).empty());
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "xml.schema");
  }
}

}  // namespace
}  // namespace qujat::xml
