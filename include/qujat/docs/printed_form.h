// The printed form of a document: what a person reads on paper, in both
// languages, box by box, exactly as the seed form numbers them. docs/ builds
// it from a checked application (with wording from templates/); render/ lays
// it out as PDF. It holds text only, no layout coordinates and no C++ legal
// wording: labels and fixed sentences come from templates/<kind>/.
#pragma once

#include <string>
#include <vector>

namespace qujat::docs {

// A text in both languages; a proper name or a code has kk == ru.
struct BilingualText {
  std::string kk;
  std::string ru;
  const std::string& in(std::string_view lang) const { return lang == "kk" ? kk : ru; }
};

// One numbered box of the form: "2. Applicant" with its value lines.
struct FormBox {
  std::string number;                // "1", "2", "16"; empty for an unnumbered box
  BilingualText label;               // from templates/<kind>/
  std::vector<BilingualText> lines;  // the value, one entry per printed line/paragraph
  int columns = 1;                   // how many grid columns the box spans (1..3)
  std::string align;                 // "" (left) or "right", as the template asks (refusal addressee)
  bool framed = true;                // false: printed without a border (a letter's number and date line)
  bool keep_with_next = false;       // never the last thing on a sheet (EUC box 12 and its signer)
};

// How a goods table that runs over several sheets continues (EUC/IIC annex
// sheets, 001 lines 843-888). Empty title: plain continuation.
struct FormTableContinuation {
  BilingualText title;           // printed at the top of each continuation sheet
  bool sheet_numbering = false;  // "total sheets / sheet No." on every sheet
  bool signatory = false;        // signature block repeated on continuation sheets
};

// A goods table; rows may run over several sheets (headers repeat).
struct FormTable {
  std::vector<FormBox> columns;                  // header cells: box number + label (lines unused)
  std::vector<int> column_weights;               // relative widths, same size as columns
  std::vector<std::vector<BilingualText>> rows;  // every row of the source, none dropped
  // When the template numbers the rows, columns[0] is the "No." column and
  // each row starts with its number; the renderer needs no special case.
  bool row_numbers = false;
  FormTableContinuation continuation;
};

// Title: where the form's title stands when the seed does not print it
// first (a letter: number and date, addressee, then the title).
enum class FormBlockKind { Boxes, Table, Paragraph, Title };

// A block of the form in print order.
struct FormBlock {
  FormBlockKind kind = FormBlockKind::Boxes;
  std::vector<FormBox> boxes;  // Boxes: laid out in a grid of `grid_columns`
  int grid_columns = 1;
  FormTable table;          // Table
  BilingualText paragraph;  // Paragraph: fixed legal sentence or body text
  bool bold = false;
};

struct PrintedForm {
  std::string kind;          // "export-licence", "euc", ...
  std::string number;        // document number
  BilingualText issue_date;  // already formatted per locale ("9 қаңтар 2026 ж." / "9 января 2026 г.")

  // Two-column header of refusals and certificates: Kazakh left, Russian right
  // (ministry, committee, city). Empty when the form has none.
  std::vector<BilingualText> authority_header;
  BilingualText title;  // "ЛИЦЕНЗИЯ НА ЭКСПОРТ ..." / "... ЭКСПОРТТАУҒА ЛИЦЕНЗИЯ"
  BilingualText subtitle;  // e.g. form/annex reference, may be empty

  std::vector<FormBlock> blocks;  // in print order

  // "№ NUMBER" and the issue date under the title; off when a box prints the
  // document's own number (licence box 1, a letter's number line): printed once.
  bool number_line = true;

  BilingualText signatory_position;
  std::string signatory_name;
  // The signature block closing the form; off when a box already prints the
  // signer (licence box 19, permit box 15). Continuation sheets that repeat
  // the signature block still use signatory_position/name.
  bool closing_signatory = true;
  BilingualText footer;  // "signed with an electronic signature; check at ..." etc.

  // Public verification address (QR code) and the short check code.
  std::string verification_url;
  std::string verification_code;

  std::vector<std::string> languages{"kk", "ru"};  // as issued (--lang); both are always filled
};

}  // namespace qujat::docs
