// The printed text of every document kind, as a reader (or `pdftotext
// -layout`) sees it, compared with a reviewed copy in
// tests/data/golden-text/KIND.LANG.txt: each file was read box by box
// against its seed form (docs/forms.md). A change to a template, a format
// or the layout shows here as a text diff to review like code.
//
// Regenerate after a deliberate change, then read the diff:
//   QUJAT_UPDATE_GOLDEN=1 ./build/tests/test_render --gtest_filter='*GoldenText*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "qujat/docs/document_engine.h"
#include "qujat/model/application.h"
#include "qujat/model/kind.h"
#include "qujat/render/pdf.h"
#include "render/pdf_tools.h"
#include "support/paths.h"

using namespace qujat;
using namespace qujat::test;

namespace {

fs::path golden_dir() { return source_root() / "tests" / "data" / "golden-text"; }

const docs::DocumentEngine& engine() {
  static const docs::DocumentEngine e{docs::EngineOptions{}};
  return e;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// pdftotext -layout without what says nothing about the document: trailing
// blanks, runs of empty lines; a sheet break becomes a visible marker line.
std::string printed_text(const fs::path& pdf) {
  auto r = run("pdftotext -layout -enc UTF-8 '" + pdf.string() + "' -");
  EXPECT_EQ(r.status, 0) << r.output;
  std::istringstream in(r.output);
  std::string out, line;
  int blank = 0;
  while (std::getline(in, line)) {
    std::string rest = line;
    while (!rest.empty() && rest.front() == '\f') {
      out += "---------------------------------------- sheet break\n";
      rest.erase(0, 1);
      blank = 0;
    }
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\r')) rest.pop_back();
    if (rest.empty()) {
      if (++blank > 1) continue;
    } else {
      blank = 0;
    }
    out += rest + "\n";
  }
  auto trim_end = [&] {
    while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  };
  trim_end();
  const std::string last_break = "---------------------------------------- sheet break\n";
  if (out.ends_with(last_break)) out.erase(out.size() - last_break.size());  // pdftotext ends every sheet
  trim_end();
  return out;
}

struct GoldenCase {
  std::string kind;
  std::string lang;
};

std::vector<GoldenCase> cases() {
  std::vector<GoldenCase> out;
  for (const auto kind : model::all_kinds())
    for (const char* lang : {"kk", "ru"}) out.push_back({std::string(model::kind_name(kind)), lang});
  return out;
}

class GoldenText : public ::testing::TestWithParam<GoldenCase> {};

}  // namespace

TEST_P(GoldenText, PrintedTextMatchesTheReviewedCopy) {
  const auto& [kind, lang] = GetParam();
  // One sample per kind (samples/KIND.json), issued with a fixed number on its own date.
  const auto app = nlohmann::json::parse(read_all(source_root() / "samples" / (kind + ".json")));
  docs::IssueRequest request;
  request.number = engine().number_prefixes().at(kind) + "-2026-000042";
  const auto issued = engine().issue(model::Application::from_json(app), request);
  render::PdfOptions options;
  options.languages = {lang};
  const auto pdf = write_pdf("golden-" + kind + "." + lang + ".pdf", render::render_pdf(issued.form, options));
  const std::string text = printed_text(pdf);
  const auto file = golden_dir() / (kind + "." + lang + ".txt");
  if (const char* update = std::getenv("QUJAT_UPDATE_GOLDEN"); update != nullptr && *update == '1') {
    fs::create_directories(golden_dir());
    std::ofstream(file, std::ios::binary) << text;
  }
  ASSERT_TRUE(fs::exists(file)) << "missing " << file << " (QUJAT_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(text, read_all(file)) << "the printed " << kind << " (" << lang << ") differs from " << file
                                  << "; if deliberate, regenerate with QUJAT_UPDATE_GOLDEN=1 and review the diff";
}

INSTANTIATE_TEST_SUITE_P(Kinds, GoldenText, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string n = info.param.kind + "_" + info.param.lang;
  for (auto& c : n)
    if (c == '-') c = '_';
  return n;
});
