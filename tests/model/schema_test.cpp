// schemas/application.schema.json is published for outside tools; these tests
// keep it in step with the kinds and with the checker's view of the samples.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "qujat/model/application.h"
#include "support/nca_material.h"

using namespace qujat::model;

namespace {
nlohmann::json schema() {
  std::ifstream in(qujat::test::source_dir() / "schemas" / "application.schema.json");
  return nlohmann::json::parse(in);
}
}  // namespace

TEST(Schema, Draft2020WithOneShapePerKind) {
  const auto s = schema();
  EXPECT_EQ(s.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  std::set<std::string> refs;
  for (const auto& alt : s.at("oneOf")) refs.insert(alt.at("$ref").get<std::string>());
  for (Kind k : all_kinds()) {
    const std::string name(kind_name(k));
    EXPECT_TRUE(refs.contains("#/$defs/" + name)) << name;
    const auto& def = s.at("$defs").at(name);
    EXPECT_EQ(def.at("additionalProperties"), false) << name;
    EXPECT_EQ(def.at("properties").at("kind").at("const"), name);
  }
}

// Every top-level field the schema allows is one the checker accepts: a
// sample carrying a field the checker does not know would fail with field.unknown.
TEST(Schema, TopLevelFieldsMatchTheChecker) {
  const auto s = schema();
  for (Kind k : all_kinds()) {
    const std::string name(kind_name(k));
    const auto& def = s.at("$defs").at(name);
    for (const auto& [field, shape] : def.at("properties").items()) {
      nlohmann::json doc = {{"kind", name}, {field, nullptr}};
      const auto report = check_application(doc);
      for (const auto& p : report.problems)
        EXPECT_FALSE(p.path == "/" + field && p.code == "field.unknown") << name << "." << field;
    }
    // And every required field in the schema is required by the checker.
    const auto report = check_application(nlohmann::json{{"kind", name}});
    for (const auto& field : def.at("required")) {
      if (field == "kind") continue;
      bool missing = false;
      for (const auto& p : report.problems)
        missing = missing || (p.path == "/" + field.get<std::string>() && p.code == "field.missing");
      EXPECT_TRUE(missing) << name << " requires " << field;
    }
  }
}
