#include "render/form_layout.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"

namespace qujat::render {
namespace {

// Type sizes (points) and spacing; chosen so a licence with ~20 boxes fits one A4 sheet.
// Type sizes (points) and spacing at scale 1; a form that overflows one
// sheet only slightly is set smaller (see lay_out).
constexpr double kBaseLabelSize = 6.5;
constexpr double kBaseValueSize = 8.4;
constexpr double kBaseTableHeadSize = 6.3;
constexpr double kBaseTableSize = 7.6;
constexpr double kBaseTitleSize = 11.5;
constexpr double kBaseHeaderSize = 8.2;
constexpr double kFooterSize = 6.4;
constexpr double kLeading = 1.18;
constexpr double kAscent = 0.93;  // baseline below the line top, in em (DejaVu's ascender)
constexpr double kBasePad = 2.4;
constexpr double kBaseBlockGap = 4.0;

// One BreakIterator per language and thread: creating one loads ICU's rules
// (tens of microseconds), resetting its text is cheap.
icu::BreakIterator& line_breaker(std::string_view lang) {
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::BreakIterator>> cache;
  auto& slot = cache[std::string(lang)];
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    slot.reset(icu::BreakIterator::createLineInstance(icu::Locale(std::string(lang).c_str()), status));
    if (U_FAILURE(status) || !slot)
      throw Error("render.icu", "ICU line breaking is unavailable", {u_errorName(status)});
  }
  return *slot;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void wrap_paragraph(std::string_view text, const FontFace& face, double size, double width, std::string_view lang,
                    std::vector<std::string>& out) {
  if (rtrim(text).empty()) {
    out.emplace_back();
    return;
  }
  if (face.width(text, size) <= width) {
    out.emplace_back(rtrim(text));
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  auto utext =
      make_unique_ptr<utext_close>(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
  auto& breaker = line_breaker(lang);
  breaker.setText(utext.get(), status);
  if (U_FAILURE(status)) throw Error("render.icu", "ICU could not read the text", {u_errorName(status)});

  std::size_t line_start = 0;
  std::size_t prev = 0;
  double line_width = 0;  // width of text[line_start, prev), trailing spaces included
  auto emit = [&](std::size_t end) {
    out.emplace_back(rtrim(text.substr(line_start, end - line_start)));
    line_start = end;
    prev = end;
    line_width = 0;
  };
  for (int32_t b = breaker.next(); b != icu::BreakIterator::DONE;) {
    const auto end = static_cast<std::size_t>(b);
    // No break after a hyphen inside a word or number ("KZ-EXP-2026-000042",
    // "сборочно-испытательный"): readers and text extraction take a hyphen at
    // a line end for hyphenation and drop it, which would change the value.
    // The same for "/" inside a token ("№ п/п", dates, URLs): an over-long one
    // is cut between characters like any other word.
    if (end < text.size() && (text[end - 1] == '-' || text[end - 1] == '/') && text[end] != ' ') {
      b = breaker.next();
      continue;
    }
    std::string_view segment = text.substr(prev, end - prev);
    const double trimmed = face.width(rtrim(segment), size);
    if (line_width + trimmed <= width) {
      line_width += face.width(segment, size);
      prev = end;
      b = breaker.next();
      continue;
    }
    if (prev > line_start) {  // the segment starts a new line
      emit(prev);
      continue;
    }
    // A single word wider than the line: cut it between characters.
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    auto i = static_cast<int32_t>(line_start);
    double w = 0;
    int32_t cut = i;
    while (i < static_cast<int32_t>(end)) {
      UChar32 c;
      int32_t next = i;
      U8_NEXT_OR_FFFD(s, next, static_cast<int32_t>(end), c);
      w += face.advance(static_cast<char32_t>(c)) * size / 1000.0;
      if (w > width && cut > static_cast<int32_t>(line_start)) break;
      cut = next;
      i = next;
    }
    if (static_cast<std::size_t>(cut) >= end) {
      prev = end;
      line_width = w;
      b = breaker.next();
      continue;
    }
    emit(static_cast<std::size_t>(cut));
  }
  if (line_start < text.size() && !rtrim(text.substr(line_start)).empty()) emit(text.size());
}

struct Line {
  std::string text;
  FaceStyle face = FaceStyle::Regular;
  double size = kBaseValueSize;
  Align align = Align::Left;
  double gap_before = 0;
  double height() const { return size * kLeading + gap_before; }
};

struct Cell {
  double x = 0;
  double w = 0;
  std::vector<Line> lines;
  bool shaded = false;
};

struct Row {
  std::vector<Cell> cells;
  bool bordered = true;
  bool rule_below = false;
  double pad = kBasePad;
  double gap_before = 0;
  double min_height = 0;
  bool keep_with_next = false;
  int table = -1;  // body and header rows of a goods table share its index
  bool is_header = false;

  double content_height() const {
    double h = 0;
    for (const auto& cell : cells) {
      double ch = 0;
      for (const auto& line : cell.lines) ch += line.height();
      h = std::max(h, ch);
    }
    return h;
  }
  double height() const { return std::max(min_height, content_height() + 2 * pad); }

  // Splits so that the first part is at most `avail` high; nullopt when not even one line fits.
  std::optional<std::pair<Row, Row>> split(double avail) const {
    Row first = *this, rest = *this;
    rest.gap_before = 0;
    rest.min_height = 0;
    bool any = false, remaining = false;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      first.cells[c].lines.clear();
      rest.cells[c].lines.clear();
      double used = 2 * pad;
      std::size_t i = 0;
      for (; i < cells[c].lines.size() && used + cells[c].lines[i].height() <= avail; ++i) {
        used += cells[c].lines[i].height();
        first.cells[c].lines.push_back(cells[c].lines[i]);
        any = true;
      }
      for (; i < cells[c].lines.size(); ++i) {
        rest.cells[c].lines.push_back(cells[c].lines[i]);
        remaining = true;
      }
    }
    if (!any || !remaining) return std::nullopt;
    first.min_height = 0;
    first.rule_below = false;
    return std::make_pair(std::move(first), std::move(rest));
  }
};

class FormComposer {
 public:
  FormComposer(const docs::PrintedForm& form, const LayoutOptions& options, const FontSet& fonts, double scale)
      : form_(form),
        options_(options),
        fonts_(fonts),
        geometry_(options.geometry),
        kLabelSize(kBaseLabelSize * scale),
        kValueSize(kBaseValueSize * scale),
        kTableHeadSize(kBaseTableHeadSize * scale),
        kTableSize(kBaseTableSize * scale),
        kTitleSize(kBaseTitleSize * std::max(scale, 0.9)),
        kHeaderSize(kBaseHeaderSize * scale),
        kPad(kBasePad * scale),
        kBlockGap(kBaseBlockGap * scale),
        scale_(scale) {
    if (options_.languages.empty()) options_.languages = {"kk", "ru"};
  }

  // Pages needed without painting them (to choose the scale).
  std::size_t count_pages() {
    if (!paginated_) {
      size_footer();
      build_rows();
      paginate();
      paginated_ = true;
    }
    return pages_.size();
  }

  // Content height over the room of one page (before pagination gaps).
  double fill_ratio() {
    count_pages();
    double h = 0;
    for (const auto& r : rows_) h += r.gap_before + r.height();
    return h / (geometry_.content_bottom() - geometry_.content_top());
  }

  LaidOutForm compose() {
    count_pages();
    LaidOutForm result;
    result.geometry = geometry_;
    result.qr_side = qr_side_;
    result.qr_x = geometry_.margin_left;
    result.qr_y = geometry_.content_bottom() + (geometry_.footer_band - qr_side_) / 2;
    for (std::size_t p = 0; p < pages_.size(); ++p) {
      Page page;
      for (const auto& placed : pages_[p]) paint(placed.first, placed.second, page);
      paint_footer(page);
      if (pages_.size() > 1 || always_number_sheets_) paint_running_head(page, p + 1, pages_.size());
      result.pages.push_back(std::move(page));
    }
    return result;
  }

 private:
  const FontFace& face(FaceStyle s) const { return fonts_.face(s); }
  const std::string& lang() const { return options_.languages.front(); }

  // The texts to print for a bilingual value, in print order, without repeating equal ones.
  std::vector<std::string> texts_of(const docs::BilingualText& t) const {
    std::vector<std::string> out;
    for (const auto& l : options_.languages) {
      const std::string& s = t.in(l);
      if (s.empty() || std::find(out.begin(), out.end(), s) != out.end()) continue;
      out.push_back(s);
    }
    return out;
  }

  std::string joined(const docs::BilingualText& t) const {
    std::string out;
    for (const auto& s : texts_of(t)) out += (out.empty() ? "" : " / ") + s;
    return out;
  }

  void add_wrapped(std::vector<Line>& lines, std::string_view text, FaceStyle style, double size, double width,
                   Align align = Align::Left, double gap_before = 0) const {
    std::vector<std::string> wrapped = wrap_text(text, face(style), size, width, lang());
    for (auto& w : wrapped) {
      lines.push_back(Line{std::move(w), style, size, align, gap_before});
      gap_before = 0;
    }
  }

  // A value in every printed language: "kk / ru" on one line when that fits,
  // otherwise each language as its own paragraph.
  void add_value(std::vector<Line>& lines, const docs::BilingualText& value, FaceStyle style, double size, double width,
                 Align align = Align::Left) const {
    auto texts = texts_of(value);
    if (texts.size() > 1) {
      std::string both = texts[0] + " / " + texts[1];
      if (both.find('\n') == std::string::npos && face(style).width(both, size) <= width) {
        lines.push_back(Line{std::move(both), style, size, align, 0});
        return;
      }
    }
    for (const auto& t : texts) add_wrapped(lines, t, style, size, width, align);
  }

  Row full_width_row(bool bordered) const {
    Row row;
    row.bordered = bordered;
    row.cells.push_back(Cell{geometry_.content_left(), geometry_.content_width(), {}, false});
    return row;
  }

  void build_rows() {
    const double left = geometry_.content_left();
    const double width = geometry_.content_width();

    if (!form_.authority_header.empty()) {
      Row row;
      row.bordered = false;
      row.rule_below = true;
      if (options_.languages.size() > 1) {
        const double gutter = 24;
        const double col = (width - gutter) / 2;
        Cell kk{left, col, {}, false}, ru{left + col + gutter, col, {}, false};
        for (const auto& h : form_.authority_header) {
          add_wrapped(kk.lines, h.kk, FaceStyle::Bold, kHeaderSize, col - 2 * kPad, Align::Center);
          add_wrapped(ru.lines, h.ru, FaceStyle::Bold, kHeaderSize, col - 2 * kPad, Align::Center);
        }
        row.cells = {std::move(kk), std::move(ru)};
      } else {
        Cell one{left, width, {}, false};
        for (const auto& h : form_.authority_header)
          add_wrapped(one.lines, h.in(lang()), FaceStyle::Bold, kHeaderSize, width - 2 * kPad, Align::Center);
        row.cells = {std::move(one)};
      }
      rows_.push_back(std::move(row));
    }

    // The title leads unless the form places it (a letter: after the addressee).
    const bool placed_title = std::any_of(form_.blocks.begin(), form_.blocks.end(), [](const docs::FormBlock& b) {
      return b.kind == docs::FormBlockKind::Title;
    });
    if (!placed_title) add_title();

    if (form_.number_line && (!form_.number.empty() || !texts_of(form_.issue_date).empty())) {
      Row row;
      row.bordered = false;
      const double half = width / 2;
      Cell number{left, half, {}, false}, date{left + half, half, {}, false};
      if (!form_.number.empty())
        add_wrapped(number.lines, "№ " + form_.number, FaceStyle::Bold, kValueSize, half - 2 * kPad);
      add_value(date.lines, form_.issue_date, FaceStyle::Regular, kValueSize, half - 2 * kPad, Align::Right);
      row.cells = {std::move(number), std::move(date)};
      rows_.push_back(std::move(row));
    }

    int table_index = 0;
    for (const auto& block : form_.blocks) {
      switch (block.kind) {
        case docs::FormBlockKind::Boxes:
          add_boxes(block);
          break;
        case docs::FormBlockKind::Table:
          add_table(block.table, table_index++);
          break;
        case docs::FormBlockKind::Paragraph:
          add_paragraph(block);
          break;
        case docs::FormBlockKind::Title:
          add_title();
          break;
      }
    }

    if (form_.closing_signatory) {
      if (auto signatory = signatory_row()) {
        // The signature block never stands alone on the last sheet.
        if (!rows_.empty()) rows_.back().keep_with_next = true;
        rows_.push_back(std::move(*signatory));
      }
    }
    for (auto& row : rows_) {
      row.pad *= scale_;
      row.min_height *= scale_;
    }
  }

  void add_title() {
    const double width = geometry_.content_width();
    Row title = full_width_row(false);
    title.gap_before = kBlockGap;
    for (const auto& t : texts_of(form_.title))
      add_wrapped(title.cells[0].lines, t, FaceStyle::Bold, kTitleSize, width - 2 * kPad, Align::Center);
    for (const auto& t : texts_of(form_.subtitle))
      add_wrapped(title.cells[0].lines, t, FaceStyle::Regular, kLabelSize + 0.6, width - 2 * kPad, Align::Center);
    if (!title.cells[0].lines.empty()) {
      title.keep_with_next = true;
      rows_.push_back(std::move(title));
    }
  }

  std::optional<Row> signatory_row() const {
    if (form_.signatory_name.empty() && texts_of(form_.signatory_position).empty()) return std::nullopt;
    const double left = geometry_.content_left();
    const double width = geometry_.content_width();
    Row row;
    row.bordered = false;
    row.gap_before = 3 * kBlockGap;
    const double left_w = width * 0.62;
    Cell position{left, left_w, {}, false}, name{left + left_w, width - left_w, {}, false};
    for (const auto& t : texts_of(form_.signatory_position))
      add_wrapped(position.lines, t, FaceStyle::Bold, kValueSize, left_w - 2 * kPad);
    if (!form_.signatory_name.empty())
      add_wrapped(name.lines, form_.signatory_name, FaceStyle::Bold, kValueSize, width - left_w - 2 * kPad,
                  Align::Right);
    row.cells = {std::move(position), std::move(name)};
    return row;
  }

  // The title a table's continuation sheets start with (EUC/IIC annex sheets).
  std::optional<Row> continuation_title(int table) const {
    if (table < 0 || static_cast<std::size_t>(table) >= continuations_.size()) return std::nullopt;
    Row row = full_width_row(false);
    for (const auto& t : texts_of(continuations_[static_cast<std::size_t>(table)].title))
      add_wrapped(row.cells[0].lines, t, FaceStyle::Bold, kValueSize, geometry_.content_width() - 2 * kPad,
                  Align::Center);
    if (row.cells[0].lines.empty()) return std::nullopt;
    return row;
  }

  bool signs_every_sheet(int table) const {
    return table >= 0 && static_cast<std::size_t>(table) < continuations_.size() &&
           continuations_[static_cast<std::size_t>(table)].signatory;
  }

  Cell box_cell(const docs::FormBox& box, double x, double w) const {
    Cell cell{x, w, {}, false};
    std::string label = joined(box.label);
    if (!box.number.empty()) label = box.number + ". " + label;
    const double inner = w - 2 * kPad;
    const Align align = box.align == "right" ? Align::Right : Align::Left;
    if (!label.empty()) add_wrapped(cell.lines, label, FaceStyle::Regular, kLabelSize, inner, align);
    double gap = cell.lines.empty() ? 0 : 1.5;
    for (const auto& line : box.lines) {
      std::vector<Line> value;
      add_value(value, line, FaceStyle::Regular, kValueSize, inner, align);
      for (auto& l : value) {
        l.gap_before = gap;
        gap = 0;
        cell.lines.push_back(std::move(l));
      }
    }
    return cell;
  }

  void add_boxes(const docs::FormBlock& block) {
    const int grid = std::clamp(block.grid_columns, 1, 3);
    const double left = geometry_.content_left();
    const double col_w = geometry_.content_width() / grid;
    Row row;
    row.gap_before = kBlockGap;
    row.min_height = 22;
    int used = 0;
    auto flush = [&] {
      if (row.cells.empty()) return;
      // An incomplete last row: the last box takes the rest of the line, as on the paper forms.
      Cell& last = row.cells.back();
      last = box_cell(*pending_.back(), last.x, left + geometry_.content_width() - last.x);
      // A row of right-aligned boxes is a letter's addressee block (refusals): no frame;
      // nor a row of boxes the template prints without one (a letter's number and date).
      if (std::all_of(pending_.begin(), pending_.end(),
                      [](const docs::FormBox* b) { return b->align == "right" || !b->framed; }))
        row.bordered = false;
      row.keep_with_next =
          std::any_of(pending_.begin(), pending_.end(), [](const docs::FormBox* b) { return b->keep_with_next; });
      rows_.push_back(std::move(row));
      row = Row{};
      row.min_height = 22;
      pending_.clear();
      used = 0;
    };
    for (const auto& box : block.boxes) {
      const int span = std::clamp(box.columns, 1, grid);
      if (used + span > grid) flush();
      row.cells.push_back(box_cell(box, left + used * col_w, span * col_w));
      pending_.push_back(&box);
      used += span;
    }
    flush();
  }

  void add_table(const docs::FormTable& table, int index) {
    continuations_.resize(static_cast<std::size_t>(index) + 1);
    continuations_[static_cast<std::size_t>(index)] = table.continuation;
    if (table.continuation.sheet_numbering) always_number_sheets_ = true;
    if (table.columns.empty()) return;
    const double left = geometry_.content_left();
    const double width = geometry_.content_width();
    std::vector<double> weights;
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      weights.push_back(c < table.column_weights.size() && table.column_weights[c] > 0 ? table.column_weights[c] : 1.0);
    std::vector<double> ws = column_widths(table, weights, width);
    std::vector<double> xs;
    double x = left;
    for (double w : ws) {
      xs.push_back(x);
      x += w;
    }

    Row header;
    header.gap_before = kBlockGap;
    header.is_header = true;
    header.keep_with_next = !table.rows.empty();
    header.table = index;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      Cell cell{xs[c], ws[c], {}, true};
      const auto& col = table.columns[c];
      std::string label = joined(col.label);
      if (!col.number.empty()) label = col.number + ". " + label;
      add_wrapped(cell.lines, label, FaceStyle::Regular, kTableHeadSize, ws[c] - 2 * kPad, Align::Center);
      header.cells.push_back(std::move(cell));
    }
    rows_.push_back(std::move(header));

    for (const auto& values : table.rows) {
      Row row;
      row.table = index;
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        Cell cell{xs[c], ws[c], {}, false};
        if (c < values.size()) add_value(cell.lines, values[c], FaceStyle::Regular, kTableSize, ws[c] - 2 * kPad);
        row.cells.push_back(std::move(cell));
      }
      rows_.push_back(std::move(row));
    }
  }

  // Widths from the template's weights, widened where a column's longest
  // word (header or value) would otherwise be cut, taking the room from the
  // columns that have more than they need.
  std::vector<double> column_widths(const docs::FormTable& table, const std::vector<double>& weights,
                                    double width) const {
    const std::size_t n = weights.size();
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> ws(n), need(n, 0);
    for (std::size_t c = 0; c < n; ++c) ws[c] = width * weights[c] / total;
    auto widest_word = [&](const std::string& text, FaceStyle style, double size) {
      double widest = 0;
      std::size_t start = 0;
      while (start < text.size()) {
        auto space = text.find_first_of(" \n", start);
        if (space == std::string::npos) space = text.size();
        widest = std::max(widest, face(style).width(std::string_view(text).substr(start, space - start), size));
        start = space + 1;
      }
      return widest;
    };
    for (std::size_t c = 0; c < n; ++c) {
      need[c] = widest_word(joined(table.columns[c].label), FaceStyle::Regular, kTableHeadSize);
      for (const auto& row : table.rows)
        if (c < row.size())
          for (const auto& t : texts_of(row[c]))
            need[c] = std::max(need[c], widest_word(t, FaceStyle::Regular, kTableSize));
      need[c] = std::min(need[c] + 2 * kPad + 0.5, width * 0.45);
    }
    for (int round = 0; round < 4; ++round) {
      double missing = 0, spare = 0;
      for (std::size_t c = 0; c < n; ++c) {
        if (ws[c] < need[c])
          missing += need[c] - ws[c];
        else
          spare += ws[c] - need[c];
      }
      if (missing <= 0.01 || spare <= 0.01) break;
      const double take = std::min(missing, spare);
      for (std::size_t c = 0; c < n; ++c) {
        if (ws[c] < need[c])
          ws[c] += (need[c] - ws[c]) * take / missing;
        else
          ws[c] -= (ws[c] - need[c]) * take / spare;
      }
    }
    return ws;
  }

  void add_paragraph(const docs::FormBlock& block) {
    const auto style = block.bold ? FaceStyle::Bold : FaceStyle::Regular;
    bool first = true;
    for (const auto& t : texts_of(block.paragraph)) {
      Row row = full_width_row(false);
      row.gap_before = first ? kBlockGap : 0;
      row.pad = 1.5;
      add_wrapped(row.cells[0].lines, t, style, kValueSize, geometry_.content_width() - 2 * row.pad);
      rows_.push_back(std::move(row));
      first = false;
    }
  }

  void size_footer() {
    const double text_left = geometry_.margin_left + kQrSide + 8;
    footer_width_ = geometry_.width - geometry_.margin_right - text_left;
    footer_lines_.clear();
    if (!form_.number.empty())
      footer_lines_.push_back(Line{"№ " + form_.number, FaceStyle::Bold, kValueSize, Align::Left, 0});
    for (const auto& t : texts_of(form_.footer))
      add_wrapped(footer_lines_, t, FaceStyle::Regular, kFooterSize, footer_width_, Align::Left, 1.0);
    double h = 0;
    for (const auto& l : footer_lines_) h += l.height();
    qr_side_ = form_.verification_url.empty() ? 0 : kQrSide;
    geometry_.footer_band = std::max(qr_side_, h) + 10;
    // A footer longer than a quarter of the page would leave no room for the form.
    geometry_.footer_band = std::min(geometry_.footer_band, geometry_.height / 4);
  }

  void paginate() {
    std::deque<Row> queue(rows_.begin(), rows_.end());
    const double top = geometry_.content_top();
    const double bottom = geometry_.content_bottom();
    pages_.emplace_back();
    double y = top;
    int open_table = -1;  // the table whose body rows are being placed
    std::unordered_map<int, const Row*> headers;
    for (const auto& r : rows_)
      if (r.is_header) headers[r.table] = &r;
    const std::optional<Row> signatory = signatory_row();
    const double signatory_room = signatory ? signatory->height() + signatory->gap_before : 0;

    auto place = [&](const Row& row) {
      pages_.back().emplace_back(row, y);
      y += row.height();
    };
    auto new_page = [&](const Row& next) {
      const bool continues = next.table >= 0 && !next.is_header && next.table == open_table;
      if (continues && signatory && signs_every_sheet(next.table)) {
        y += signatory->gap_before;
        place(*signatory);
      }
      pages_.emplace_back();
      y = top;
      if (continues) {
        if (auto title = continuation_title(next.table)) place(*title);
        Row header = *headers.at(next.table);
        header.gap_before = 0;
        place(header);
      }
    };

    while (!queue.empty()) {
      Row row = std::move(queue.front());
      queue.pop_front();
      // Inside a table signed on every sheet, keep room for the signature block.
      const double limit =
          row.table >= 0 && signs_every_sheet(row.table) && !queue.empty() && queue.front().table == row.table
              ? bottom - signatory_room
              : bottom;
      const bool page_empty = pages_.back().empty();
      if (page_empty) row.gap_before = 0;
      double need = row.gap_before + row.height();
      if (row.keep_with_next && !queue.empty()) need += queue.front().height();
      if (y + need > limit && !page_empty) {
        new_page(row);
        row.gap_before = 0;
      }
      const double avail = limit - y - row.gap_before;
      if (row.height() > avail) {
        if (auto parts = row.split(avail)) {
          y += row.gap_before;
          place(parts->first);
          open_table = row.table;
          queue.push_front(std::move(parts->second));
          new_page(queue.front());
          continue;
        }
      }
      y += row.gap_before;
      place(row);
      open_table = row.table;
    }
  }

  void paint(const Row& row, double top, Page& page) const {
    const double h = row.height();
    for (const auto& cell : row.cells) {
      if (cell.shaded) page.strokes.push_back(Stroke{cell.x, top, cell.w, h, true});
      if (row.bordered) page.strokes.push_back(Stroke{cell.x, top, cell.w, h, false});
      double y = top + row.pad;
      for (const auto& line : cell.lines) {
        y += line.gap_before;
        place_text(page, line, cell.x + row.pad, cell.w - 2 * row.pad, y);
        y += line.size * kLeading;
      }
    }
    if (row.rule_below) {
      page.strokes.push_back(Stroke{geometry_.content_left(), top + h + 1, geometry_.content_width(), 0, false});
    }
  }

  void place_text(Page& page, const Line& line, double x, double w, double line_top) const {
    if (line.text.empty()) return;
    double tx = x;
    if (line.align != Align::Left) {
      const double tw = face(line.face).width(line.text, line.size);
      tx = line.align == Align::Center ? x + (w - tw) / 2 : x + w - tw;
    }
    page.texts.push_back(TextRun{tx, line_top + line.size * kAscent, line.size, line.face, line.text});
  }

  void paint_footer(Page& page) const {
    const double band_top = geometry_.content_bottom();
    page.strokes.push_back(Stroke{geometry_.content_left(), band_top + 3, geometry_.content_width(), 0, false});
    double y = band_top + 6;
    const double x = geometry_.margin_left + (qr_side_ > 0 ? qr_side_ + 8 : 0);
    for (const auto& line : footer_lines_) {
      if (y + line.height() > geometry_.height - geometry_.margin_bottom + 8) break;
      y += line.gap_before;
      place_text(page, line, x, footer_width_, y);
      y += line.size * kLeading;
    }
  }

  void paint_running_head(Page& page, std::size_t n, std::size_t m) const {
    std::string pattern = joined(options_.sheet_pattern);
    if (pattern.empty()) pattern = "{n} / {m}";
    auto replace_all = [](std::string& s, std::string_view key, const std::string& value) {
      for (auto pos = s.find(key); pos != std::string::npos; pos = s.find(key, pos + value.size()))
        s.replace(pos, key.size(), value);
    };
    replace_all(pattern, "{n}", std::to_string(n));
    replace_all(pattern, "{m}", std::to_string(m));
    const double top = geometry_.margin_top;
    const double w = geometry_.content_width();
    if (!form_.number.empty())
      place_text(page, Line{"№ " + form_.number, FaceStyle::Regular, kFooterSize + 0.6, Align::Left, 0},
                 geometry_.content_left(), w, top);
    place_text(page, Line{pattern, FaceStyle::Bold, kFooterSize + 0.6, Align::Right, 0}, geometry_.content_left(), w,
               top);
  }

  static constexpr double kQrSide = 54;

  const docs::PrintedForm& form_;
  LayoutOptions options_;
  const FontSet& fonts_;
  PageGeometry geometry_;
  // The sizes at this composer's scale (same names as the constants they replace).
  const double kLabelSize, kValueSize, kTableHeadSize, kTableSize, kTitleSize, kHeaderSize, kPad, kBlockGap;
  const double scale_;
  bool paginated_ = false;
  std::vector<Row> rows_;
  std::vector<const docs::FormBox*> pending_;
  std::vector<docs::FormTableContinuation> continuations_;
  bool always_number_sheets_ = false;
  std::vector<std::vector<std::pair<Row, double>>> pages_;
  std::vector<Line> footer_lines_;
  double footer_width_ = 0;
  double qr_side_ = 0;
};

}  // namespace

std::vector<std::string> wrap_text(std::string_view text, const FontFace& face, double size, double width,
                                   std::string_view lang) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto nl = text.find('\n', start);
    wrap_paragraph(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start), face, size,
                   width, lang, out);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

LaidOutForm lay_out(const docs::PrintedForm& form, const LayoutOptions& options, const FontSet& fonts) {
  // A form that overflows one sheet by a little is set smaller so it stays on
  // one sheet, as the paper forms are (a licence is one sheet); one that
  // needs more sheets anyway keeps the normal size. Text height shrinks
  // about with the square of the scale (smaller lines, fewer of them), so the
  // first guess is usually right.
  constexpr double kSmallest = 0.76;
  FormComposer normal(form, options, fonts, 1.0);
  if (normal.count_pages() == 2) {
    const double ratio = normal.fill_ratio();
    if (ratio < 1.0 / (kSmallest * kSmallest)) {
      for (double scale = std::min(0.96, std::sqrt(1.0 / ratio)); scale >= kSmallest - 1e-9; scale -= 0.04) {
        FormComposer smaller(form, options, fonts, scale);
        if (smaller.count_pages() == 1) return smaller.compose();
      }
    }
  }
  return normal.compose();
}

}  // namespace qujat::render
