// Shared by the docs tests: the samples, one engine over the real templates,
// and the walk over an application's JSON leaves.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "qujat/docs/document_engine.h"
#include "support/paths.h"

namespace qujat::test {

inline std::filesystem::path samples_dir() { return qujat::test::source_root() / "samples"; }

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nlohmann::json read_sample(const std::string& name) {
  return nlohmann::json::parse(read_text(samples_dir() / (name + ".json")));
}

// A checked application (what DocumentEngine::issue takes).
inline model::Application application(nlohmann::json json) { return model::Application::from_json(std::move(json)); }

// Every valid sample (samples/*.json, not samples/invalid/).
inline std::vector<std::string> valid_samples() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(samples_dir()))
    if (e.is_regular_file() && e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

inline const docs::DocumentEngine& engine() {
  static const docs::DocumentEngine e{docs::EngineOptions{}};
  return e;
}

inline void leaves(const nlohmann::json& v, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_object()) {
    for (const auto& [k, x] : v.items()) leaves(x, path + "/" + k, out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) leaves(v[i], path + "/" + std::to_string(i), out);
  } else if (v.is_string()) {
    out.emplace_back(path, v.get<std::string>());
  } else if (v.is_boolean()) {
    out.emplace_back(path, v.get<bool>() ? "true" : "false");
  } else if (!v.is_null()) {
    out.emplace_back(path, v.dump());
  }
}

// How a text value appears in XML character data.
inline std::string xml_escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '\r') out += "&#13;";
    else out += c;
  }
  return out;
}

}  // namespace qujat::test
