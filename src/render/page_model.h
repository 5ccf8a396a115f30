// The laid-out form: pages of positioned text runs and strokes in points,
// y measured downwards from the top edge. Layout fills it knowing only
// font metrics; the PDF writer paints it with PoDoFo. Keeping the two apart
// lets tests and the paginator reason about pages without a PDF.
#pragma once

#include <string>
#include <vector>

#include "render/font_set.h"

namespace qujat::render {

struct PageGeometry {
  double width = 595.276;   // A4
  double height = 841.89;
  double margin_left = 42.5;  // 15 mm
  double margin_right = 42.5;
  double margin_top = 34.0;   // 12 mm
  double margin_bottom = 28.3;  // 10 mm
  double running_head = 16.0;   // sheet numbering band at the top of every page
  double footer_band = 70.0;    // QR code, number and footer text
  double content_left() const { return margin_left; }
  double content_width() const { return width - margin_left - margin_right; }
  double content_top() const { return margin_top + running_head; }
  double content_bottom() const { return height - margin_bottom - footer_band; }
};

enum class Align { Left, Center, Right };

struct TextRun {
  double x = 0;         // left edge
  double baseline = 0;  // from the top of the page
  double size = 9;
  FaceStyle face = FaceStyle::Regular;
  std::string text;  // UTF-8, one line
};

struct Stroke {
  double x = 0, y = 0, w = 0, h = 0;  // a rectangle outline, or a line when w or h is 0
  bool fill = false;                  // light shading instead of an outline
};

struct Page {
  std::vector<Stroke> strokes;  // painted first (shading under the text)
  std::vector<TextRun> texts;
};

}  // namespace qujat::render
