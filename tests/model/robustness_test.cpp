// The checker never throws on data: every value of every sample, replaced by
// each JSON type in turn, yields problems, never an exception or a crash.
#include <gtest/gtest.h>

#include <filesystem>

#include "qujat/model/application.h"
#include "qujat/model/check.h"
#include "support/nca_material.h"

using namespace qujat::model;
namespace fs = std::filesystem;

namespace {
void pointers(const nlohmann::json& v, const std::string& path, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [key, child] : v.items()) {
      out.push_back(path + "/" + key);
      pointers(child, path + "/" + key, out);
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      out.push_back(path + "/" + std::to_string(i));
      pointers(v[i], path + "/" + std::to_string(i), out);
    }
  }
}
}  // namespace

TEST(CheckRobustness, AnyValueOfTheWrongTypeIsAProblemNotACrash) {
  const std::vector<nlohmann::json> replacements{nullptr,
                                                 true,
                                                 -1,
                                                 1.5,
                                                 "",
                                                 "x",
                                                 "-1",
                                                 nlohmann::json::array(),
                                                 nlohmann::json::object(),
                                                 nlohmann::json::array({1, "a", nullptr})};
  for (const auto& e : fs::directory_iterator(qujat::test::source_dir() / "samples")) {
    if (e.path().extension() != ".json" || e.path().stem() == "euc-forty-goods") continue;
    const auto original = read_application_file(e.path().string());
    std::vector<std::string> all;
    pointers(original, "", all);
    for (const auto& pointer : all) {
      if (pointer == "/kind") continue;
      for (const auto& replacement : replacements) {
        auto doc = original;
        doc[nlohmann::json::json_pointer(pointer)] = replacement;
        CheckReport report;
        ASSERT_NO_THROW(report = check_application(doc)) << e.path() << " " << pointer << " = " << replacement;
        // A value of the same JSON type may be lawful (another text, an empty
        // optional list); a value of another type never is.
        const auto& before = original[nlohmann::json::json_pointer(pointer)];
        const bool same_type = before.type() == replacement.type() || (before.is_number() && replacement.is_number());
        // Bilingual text may always be given as one string (proper names).
        const bool text_as_string = before.is_object() && before.contains("kk") && replacement.is_string() &&
                                    !replacement.get<std::string>().empty();
        if (same_type || text_as_string) continue;
        EXPECT_FALSE(report.ok()) << e.path() << " " << pointer << " = " << replacement;
      }
    }
  }
}
