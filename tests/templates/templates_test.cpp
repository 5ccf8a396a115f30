// Checks on the legal wording data in templates/: every document kind has a
// form, every text exists in Kazakh and Russian, box numbers follow the seed
// forms, the refusal-ground catalogues have the seeds' counts, and every value
// path a form prints exists in the sample applications under samples/.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/nca_material.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path templates_dir() { return qujat::test::source_dir() / "templates"; }
fs::path samples_dir() { return qujat::test::source_dir() / "samples"; }

json read_json(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  return json::parse(in);
}

// The kinds of the input contract APPLICATION-JSON.md (its "Kinds" table; tests/data/contract).
const std::vector<std::string> kKinds = {
    "export-licence", "import-licence",       "general-export-licence", "refusal",
    "refusal-to-consider", "hearing-notice", "euc",                    "iic",
    "reexport-permit",   "trade-export-licence", "trade-import-licence", "execution-report",
    "classification-conclusion"};

// Highest box number of each seed form (numbers run 1..N without gaps);
// 0: the seed is a letter without numbered boxes.
const std::map<std::string, int> kBoxCount = {{"export-licence", 20},
                                              {"import-licence", 20},
                                              {"general-export-licence", 20},
                                              {"refusal", 0},
                                              {"refusal-to-consider", 0},
                                              {"hearing-notice", 0},
                                              {"euc", 12},
                                              {"iic", 9},
                                              {"reexport-permit", 17},
                                              {"trade-export-licence", 18},
                                              {"trade-import-licence", 18},
                                              {"execution-report", 6},
                                              {"classification-conclusion", 0}};

bool is_bilingual(const json& j) {
  return j.is_object() && j.contains("kk") && j.contains("ru") && j["kk"].is_string() && j["ru"].is_string();
}

bool non_empty_bilingual(const json& j) {
  return is_bilingual(j) && !j["kk"].get<std::string>().empty() && !j["ru"].get<std::string>().empty();
}

// Letters of Kazakh Cyrillic that Russian does not have.
const std::vector<std::string> kKazakhLetters = {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і",
                                                 "Ә", "Ғ", "Қ", "Ң", "Ө", "Ұ", "Ү", "Һ", "І"};

bool has_kazakh_letter(const std::string& s) {
  return std::any_of(kKazakhLetters.begin(), kKazakhLetters.end(),
                     [&](const std::string& l) { return s.find(l) != std::string::npos; });
}

// Every {"kk","ru"} object anywhere in `j`, with the JSON pointer to it.
void collect_texts(const json& j, const std::string& where, std::vector<std::pair<std::string, json>>& out) {
  if (is_bilingual(j)) {
    out.emplace_back(where, j);
    return;
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) collect_texts(v, where + "/" + k, out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) collect_texts(j[i], where + "/" + std::to_string(i), out);
  }
}

// A numbered box or table column of a form, in print order.
struct Cell {
  std::string number;
  const json* node;
  bool in_table;
};

std::vector<Cell> cells_of(const json& form) {
  std::vector<Cell> cells;
  for (const auto& block : form.at("blocks")) {
    if (block.contains("boxes"))
      for (const auto& box : block["boxes"]) cells.push_back({box.value("number", ""), &box, false});
    if (block.contains("table"))
      for (const auto& col : block["table"].at("columns")) cells.push_back({col.value("number", ""), &col, true});
  }
  return cells;
}

// Does the dotted `path` exist in `node`? Arrays: in any element.
bool path_exists(const json& node, const std::vector<std::string>& parts, std::size_t i) {
  if (i == parts.size()) return !node.is_null();
  if (node.is_array())
    return std::any_of(node.begin(), node.end(), [&](const json& e) { return path_exists(e, parts, i); });
  if (!node.is_object() || !node.contains(parts[i])) return false;
  return path_exists(node[parts[i]], parts, i + 1);
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string p; std::getline(in, p, '.');) parts.push_back(p);
  return parts;
}

// Every application path a form reads: box values (and their date /
// valid_until companions), table columns under their source array, and the
// {dotted.path} placeholders of its sentences.
std::vector<std::string> value_paths(const json& form) {
  static const std::regex placeholder(R"(\{([a-z_]+(?:\.[a-z_]+)+)(?::[a-z]+)?\})");
  std::vector<std::string> paths;
  for (const auto& block : form.at("blocks")) {
    for (const auto& box : block.value("boxes", json::array())) {
      for (const char* key : {"value", "value_to", "date", "valid_until"})
        if (box.contains(key)) paths.push_back(box[key].get<std::string>());
      for (const auto& line : box.value("after", json::array()))
        for (const char* key : {"value", "value_to"})
          if (line.contains(key)) paths.push_back(line[key].get<std::string>());
    }
    if (block.contains("table")) {
      const auto source = block["table"].at("source").get<std::string>();
      for (const auto& col : block["table"]["columns"]) {
        if (col.contains("value")) paths.push_back(source + "." + col["value"].get<std::string>());
        for (const auto& v : col.value("values", json::array())) paths.push_back(source + "." + v.get<std::string>());
      }
    }
  }
  const json sentences = form.value("sentences", json::object());
  for (const auto& [key, text] : sentences.items())
    for (const std::string lang : {"kk", "ru"}) {
      const auto s = text[lang].get<std::string>();
      for (std::sregex_iterator it(s.begin(), s.end(), placeholder), end; it != end; ++it)
        paths.push_back((*it)[1].str());
    }
  return paths;
}

std::vector<std::pair<std::string, json>> all_forms() {
  std::vector<std::pair<std::string, json>> forms;
  for (const auto& kind : kKinds) {
    auto file = templates_dir() / kind / "form.json";
    if (fs::exists(file)) forms.emplace_back(kind, read_json(file));
  }
  return forms;
}

TEST(Templates, EveryTemplateFileIsValidJson) {
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(templates_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    EXPECT_NO_THROW(read_json(entry.path())) << entry.path();
    ++files;
  }
  EXPECT_GT(files, 20);
}

TEST(Templates, EveryKindOfTheApplicationContractHasAForm) {
  for (const auto& kind : kKinds) {
    auto file = templates_dir() / kind / "form.json";
    ASSERT_TRUE(fs::exists(file)) << "missing " << file;
    EXPECT_EQ(read_json(file).at("kind"), kind);
  }
  // The contract itself (its copy in tests/data/contract): every kind its
  // table names in backquotes has a form.
  auto doc = qujat::test::source_dir() / "tests" / "data" / "contract" / "APPLICATION-JSON.md";
  ASSERT_TRUE(fs::exists(doc)) << doc;
  std::ifstream in(doc);
  std::regex row(R"(^\| `([a-z-]+)`(?:, `([a-z-]+)`)? \|)");
  int named = 0;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    for (std::size_t g = 1; g < m.size(); ++g) {
      if (!m[g].matched) continue;
      ++named;
      EXPECT_TRUE(fs::exists(templates_dir() / m[g].str() / "form.json")) << "no form for kind " << m[g].str();
    }
  }
  EXPECT_EQ(named, static_cast<int>(kKinds.size()));
}

TEST(Templates, EveryTextIsInBothLanguages) {
  for (const auto& [kind, form] : all_forms()) {
    SCOPED_TRACE(kind);
    EXPECT_TRUE(non_empty_bilingual(form.at("title")));
    if (form.contains("subtitle")) {
      EXPECT_TRUE(non_empty_bilingual(form["subtitle"]));
    }
    if (form.contains("footer")) {
      EXPECT_TRUE(non_empty_bilingual(form["footer"]));
    }
    const json sentences = form.value("sentences", json::object());
    for (const auto& [key, text] : sentences.items()) EXPECT_TRUE(non_empty_bilingual(text)) << "sentence " << key;
    for (const auto& cell : cells_of(form)) {
      const json& box = *cell.node;
      if (box.contains("label")) {
        EXPECT_TRUE(non_empty_bilingual(box["label"])) << "box " << cell.number;
      } else {
        // A box without a label prints a fixed sentence as its body (EUC box 12).
        ASSERT_TRUE(box.contains("text")) << "box " << cell.number << " has neither label nor text";
      }
      if (box.contains("text")) {
        // One sentence key, or several printed in turn (EUC box 12: attestation, six-month term).
        const json keys = box["text"].is_array() ? box["text"] : json::array({box["text"]});
        for (const auto& key : keys) EXPECT_TRUE(sentences.contains(key.get<std::string>())) << key;
      }
      EXPECT_TRUE(box.contains("value") || box.contains("values") || box.contains("text")) << "box " << cell.number;
    }
    for (const auto& block : form.at("blocks")) {
      if (!block.contains("paragraph")) continue;
      if (block["paragraph"].is_string()) {
        EXPECT_TRUE(sentences.contains(block["paragraph"].get<std::string>())) << block["paragraph"];
      } else {
        EXPECT_TRUE(non_empty_bilingual(block["paragraph"]));
      }
    }
    std::vector<std::pair<std::string, json>> texts;
    collect_texts(form, "", texts);
    for (const auto& [where, text] : texts) EXPECT_TRUE(non_empty_bilingual(text)) << where;
  }
}

TEST(Templates, BoxNumbersFollowTheSeedForm) {
  for (const auto& [kind, form] : all_forms()) {
    SCOPED_TRACE(kind);
    std::vector<int> numbers;
    for (const auto& cell : cells_of(form))
      if (!cell.number.empty()) numbers.push_back(std::stoi(cell.number));
    // Unique and in print order, 1..N without gaps.
    for (std::size_t i = 0; i < numbers.size(); ++i) EXPECT_EQ(numbers[i], static_cast<int>(i) + 1);
    EXPECT_EQ(static_cast<int>(numbers.size()), kBoxCount.at(kind));
  }
}

TEST(Templates, KazakhTextsUseKazakhLettersAndRussianTextsDoNot) {
  std::vector<std::pair<std::string, json>> texts;
  for (const auto& [kind, form] : all_forms()) collect_texts(form, kind, texts);
  for (const auto& entry : fs::directory_iterator(templates_dir() / "grounds"))
    collect_texts(read_json(entry.path()), entry.path().filename().string(), texts);
  collect_texts(read_json(templates_dir() / "common.json"), "common.json", texts);
  int long_texts = 0;
  for (const auto& [where, text] : texts) {
    const auto kk = text["kk"].get<std::string>();
    const auto ru = text["ru"].get<std::string>();
    EXPECT_FALSE(has_kazakh_letter(ru)) << where << ": " << ru;
    // Short labels ("Лицензия №", "Саны") may have none; a sentence always does.
    if (kk.size() > 60) {
      ++long_texts;
      EXPECT_TRUE(has_kazakh_letter(kk)) << where << ": " << kk;
    }
  }
  EXPECT_GT(long_texts, 100);
}

TEST(Templates, GroundCataloguesHaveTheSeedsCounts) {
  const std::map<std::string, int> counts = {
      {"licence", 19}, {"reexport-permit", 16}, {"trade-licence", 10}, {"euc", 4}, {"classification-conclusion", 5}};
  for (const auto& [catalogue, count] : counts) {
    SCOPED_TRACE(catalogue);
    auto grounds = read_json(templates_dir() / "grounds" / (catalogue + ".json")).at("grounds");
    ASSERT_EQ(static_cast<int>(grounds.size()), count);
    for (int i = 0; i < count; ++i) {
      EXPECT_EQ(grounds[i].at("code").get<int>(), i + 1);
      EXPECT_TRUE(non_empty_bilingual(grounds[i])) << "ground " << i + 1;
    }
  }
}

TEST(Templates, EveryServiceReachesAGroundCatalogue) {
  auto common = read_json(templates_dir() / "common.json");
  for (const auto& [service, catalogue] : common.at("grounds_catalogues").items()) {
    SCOPED_TRACE(service);
    auto file = templates_dir() / "grounds" / (catalogue.get<std::string>() + ".json");
    ASSERT_TRUE(fs::exists(file));
    EXPECT_TRUE(read_json(file).contains("grounds"));
  }
  // Per-service files (TemplateRoot::grounds(service)) hold the grounds or
  // name the catalogue that does.
  for (const std::string service :
       {"export-licence", "import-licence", "general-export-licence", "reexport-permit", "trade-export-licence",
        "trade-import-licence", "euc", "iic", "classification-conclusion"}) {
    SCOPED_TRACE(service);
    auto file = read_json(templates_dir() / "grounds" / (service + ".json"));
    if (file.contains("catalogue")) {
      auto target = read_json(templates_dir() / "grounds" / (file["catalogue"].get<std::string>() + ".json"));
      EXPECT_TRUE(target.contains("grounds"));
      EXPECT_EQ(common["grounds_catalogues"].at(service), file["catalogue"]);
    } else {
      EXPECT_FALSE(file.at("grounds").empty());
    }
  }
}

TEST(Templates, CommonWordingCoversFootersSheetsAndNumbering) {
  auto common = read_json(templates_dir() / "common.json");
  ASSERT_EQ(common.at("authority_header").size(), 3u);
  for (const auto& line : common["authority_header"]) EXPECT_TRUE(non_empty_bilingual(line));
  EXPECT_EQ(common["authority_header"][2]["kk"], "Астана қ.");
  EXPECT_EQ(common["authority_header"][2]["ru"], "г. Астана");
  for (const std::string lang : {"kk", "ru"}) {
    const auto footer = common.at("footer").at(lang).get<std::string>();
    for (const std::string placeholder : {"{verification_url}", "{number}", "{code}"})
      EXPECT_NE(footer.find(placeholder), std::string::npos) << lang << " footer lacks " << placeholder;
    const auto sheet = common.at("sheet").at("of").at(lang).get<std::string>();
    EXPECT_NE(sheet.find("{n}"), std::string::npos);
    EXPECT_NE(sheet.find("{m}"), std::string::npos);
  }
  EXPECT_EQ(common["sheet"]["of"]["kk"], "Парақ {n} / {m}");
  EXPECT_EQ(common["sheet"]["of"]["ru"], "Лист {n} из {m}");
  EXPECT_EQ(common.at("party_labels").at("iin_bin")["kk"], "БСН/ЖСН");
  EXPECT_EQ(common["party_labels"]["iin_bin"]["ru"], "БИН/ИИН");
  std::set<std::string> prefixes;
  for (const auto& kind : kKinds) {
    ASSERT_TRUE(common.at("numbering").contains(kind)) << kind;
    EXPECT_TRUE(prefixes.insert(common["numbering"][kind].get<std::string>()).second)
        << "duplicate prefix for " << kind;
  }
}

// Does the dotted path resolve in the application JSON Schema under `node`?
// $ref, oneOf/anyOf/allOf and arrays are followed.
bool schema_has(const json& root, const json& node, const std::vector<std::string>& parts, std::size_t i,
                int depth = 0) {
  if (depth > 32) return false;
  if (node.contains("$ref")) {
    const auto ref = node["$ref"].get<std::string>();  // "#/$defs/name"
    return schema_has(root, root.at(json::json_pointer(ref.substr(1))), parts, i, depth + 1);
  }
  for (const char* combinator : {"oneOf", "anyOf", "allOf"})
    if (node.contains(combinator))
      for (const auto& branch : node[combinator])
        if (schema_has(root, branch, parts, i, depth + 1)) return true;
  if (i == parts.size()) return true;
  if (node.contains("items") && schema_has(root, node["items"], parts, i, depth + 1)) return true;
  if (node.contains("properties") && node["properties"].contains(parts[i]))
    return schema_has(root, node["properties"][parts[i]], parts, i + 1, depth + 1);
  return false;
}

TEST(Templates, EveryValuePathIsInTheApplicationSchema) {
  const auto schema_file = qujat::test::source_dir() / "schemas" / "application.schema.json";
  if (!fs::exists(schema_file)) GTEST_SKIP() << "no schemas/application.schema.json yet";
  const auto schema = read_json(schema_file);
  for (const auto& [kind, form] : all_forms()) {
    SCOPED_TRACE(kind);
    const auto& definition = schema.at("$defs").at(kind);
    for (const auto& path : value_paths(form)) {
      if (path.starts_with("meta.")) continue;  // number and issue date come from the docs engine
      EXPECT_TRUE(schema_has(schema, definition, split_path(path), 0)) << path << " is not in the schema of " << kind;
    }
  }
}

// A required field must be filled in some sample of the kind; an optional
// one (the schema has it) may be absent from all of them.
TEST(Templates, EveryValuePathExistsInTheKindsSamples) {
  if (!fs::exists(samples_dir())) GTEST_SKIP() << "no samples/ yet";
  std::map<std::string, std::vector<json>> samples;
  for (const auto& entry : fs::directory_iterator(samples_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    auto sample = read_json(entry.path());
    if (sample.contains("kind")) samples[sample["kind"].get<std::string>()].push_back(std::move(sample));
  }
  auto found = [&](const std::string& kind, const std::string& path) {
    return std::any_of(samples[kind].begin(), samples[kind].end(),
                       [&](const json& s) { return path_exists(s, split_path(path), 0); });
  };
  const auto schema_file = qujat::test::source_dir() / "schemas" / "application.schema.json";
  const json schema = fs::exists(schema_file) ? read_json(schema_file) : json::object();
  auto required_in_schema = [&](const std::string& kind, const std::string& path) {
    // Walks the `required` lists along the path; unknown schema: required.
    if (!schema.contains("$defs")) return true;
    const json* node = &schema["$defs"].at(kind);
    for (const auto& part : split_path(path)) {
      while (node->contains("$ref") || node->contains("items")) {
        if (node->contains("$ref"))
          node = &schema.at(json::json_pointer((*node)["$ref"].get<std::string>().substr(1)));
        else
          node = &(*node)["items"];
      }
      const auto required = node->value("required", json::array());
      if (std::find(required.begin(), required.end(), part) == required.end()) return false;
      if (!node->contains("properties") || !(*node)["properties"].contains(part)) return false;
      node = &(*node)["properties"][part];
    }
    return true;
  };
  for (const auto& [kind, form] : all_forms()) {
    SCOPED_TRACE(kind);
    if (samples[kind].empty()) {
      ADD_FAILURE() << "no sample of kind " << kind;
      continue;
    }
    const auto paths = value_paths(form);
    for (const auto& path : paths) {
      if (path.starts_with("meta.")) continue;  // number and issue date come from the docs engine
      if (!required_in_schema(kind, path)) continue;
      EXPECT_TRUE(found(kind, path)) << path << " is in no sample of kind " << kind;
    }
  }
}

// Every grammatical form a pattern or sentence names for a date
// ({from:ablative}, {application_ref.date:attributive}) is one that
// templates/dates.json writes in Kazakh; a typo would silently fall back to
// the plain form.
TEST(Templates, EveryDateFormNamedIsInDatesJson) {
  const auto dates = read_json(templates_dir() / "dates.json");
  static const std::regex named(R"(\{[a-z_.]+:([a-z]+)\})");
  std::vector<std::pair<std::string, json>> texts;
  collect_texts(read_json(templates_dir() / "common.json"), "common.json", texts);
  for (const auto& [kind, form] : all_forms()) collect_texts(form, kind, texts);
  int named_forms = 0;
  for (const auto& [where, text] : texts)
    for (const std::string lang : {"kk", "ru"}) {
      const auto s = text[lang].get<std::string>();
      for (std::sregex_iterator it(s.begin(), s.end(), named), end; it != end; ++it) {
        ++named_forms;
        const auto form = (*it)[1].str();
        EXPECT_TRUE(dates.at("forms").at("kk").contains(form)) << where << " names date form " << form;
      }
    }
  EXPECT_GE(named_forms, 8);
  for (const std::string lang : {"kk", "ru"}) EXPECT_TRUE(dates.at("forms").at(lang).contains("plain")) << lang;
}

}  // namespace
