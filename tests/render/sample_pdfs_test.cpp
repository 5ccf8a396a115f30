// Every valid sample, issued by the documents engine and printed: the PDF
// carries every box label in both languages and every printed value, keeps
// the Kazakh letters, embeds only subset fonts, passes qpdf, and each page
// has ink. PNGs land in build/render-out/ for a reviewer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "qujat/docs/document_engine.h"
#include "qujat/render/pdf.h"
#include "render/pdf_tools.h"
#include "support/paths.h"

using namespace qujat;
using namespace qujat::test;

namespace {

std::vector<std::string> valid_samples() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(qujat::test::source_root() / "samples"))
    if (e.is_regular_file() && e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

const docs::DocumentEngine& engine() {
  static const docs::DocumentEngine e{docs::EngineOptions{}};
  return e;
}

class SamplePdf : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(SamplePdf, PrintsEveryLabelAndValueInBothLanguages) {
  std::ifstream in(qujat::test::source_root() / "samples" / (GetParam() + ".json"));
  const auto app = nlohmann::json::parse(in);
  docs::IssueRequest request;
  request.number = "KZ-TST-2026-000001";
  request.issue_date = parse_date("2026-04-28");
  const auto issued = engine().issue(model::Application::from_json(app), request);

  const Bytes pdf = render::render_pdf(issued.form);
  const auto path = write_pdf("sample-" + GetParam() + ".pdf", pdf);
  const int pages = page_count(path);
  ASSERT_GE(pages, 1);
  const std::string text = text_of(path);
  expect_box_texts(text, issued.form, {"kk", "ru"});
  std::string printed;  // every printed Kazakh letter must survive extraction
  for (const auto& b : issued.form.blocks)
    for (const auto& box : b.boxes)
      for (const auto& l : box.lines) printed += l.kk;
  for (const char* letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"})
    if (printed.find(letter) != std::string::npos) {
      EXPECT_NE(text.find(letter), std::string::npos) << letter;
    }
  expect_clean_pdf(path);
  for (int p = 1; p <= pages; ++p) EXPECT_GT(ink_pixels(path, p), 300) << "page " << p;
  if (GetParam().find("licence") != std::string::npos && GetParam().find("general") == std::string::npos) {
    EXPECT_EQ(pages, 1) << "a licence prints on one sheet";
    EXPECT_LT(pdf.size(), 150u * 1024);
  }
  if (GetParam() == "euc-forty-goods") {
    EXPECT_GE(pages, 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, SamplePdf, ::testing::ValuesIn(valid_samples()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });
