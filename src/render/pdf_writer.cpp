// render_pdf: paints the laid-out form with PoDoFo, embeds the fonts as
// subset CID fonts (Identity-H, so every Kazakh letter is one glyph with a
// ToUnicode entry and copy/paste and pdftotext keep ә ғ қ ң ө ұ ү һ і),
// adds metadata and, when asked, the PAdES signature.
#include <podofo/podofo.h>
#include <qrencode.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <mutex>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "qujat/i18n/template_root.h"
#include "qujat/render/pdf.h"
#include "render/embedded_fonts.h"
#include "render/form_layout.h"
#include "render/pades.h"
#include "render/pdf_date.h"
#include "render/podofo.h"

namespace qujat::render {
namespace {

using namespace PoDoFo;

PdfString utf8(std::string_view s) {
  std::string copy(s);
  return PdfString(reinterpret_cast<const pdf_utf8*>(copy.c_str()));
}

// The wording of continuation sheets comes from templates/common.json
// (sheet.of); read once. Without templates the layout prints "{n} / {m}".
const docs::BilingualText& default_sheet_pattern() {
  static const docs::BilingualText pattern = [] {
    docs::BilingualText p;
    try {
      const auto templates = i18n::TemplateRoot::locate();
      const auto& common = templates.common();
      const auto& of = common.at("sheet").at("of");
      p.kk = of.value("kk", "");
      p.ru = of.value("ru", "");
    } catch (const std::exception&) {
      // no templates: neutral numbering
    }
    return p;
  }();
  return pattern;
}

void number(std::string& out, double v) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed, 2);
  out.append(buffer, end);
  out += ' ';
}

// The QR code of the verification address as a form XObject, drawn on every
// page. Drawn in module units (one scale in the matrix, integer rectangles,
// one per run of dark modules) to keep the stream small and quick to write.
std::unique_ptr<PdfXObject> qr_xobject(PdfMemDocument& doc, const std::string& url, double side) {
  auto code = make_unique_ptr<QRcode_free>(QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) throw Error("render.qr", "the verification address does not fit a QR code");
  auto xobject = std::make_unique<PdfXObject>(PdfRect(0, 0, side, side), &doc);
  const int n = code->width;
  const int span = n + 2;  // one module of quiet zone each side; the footer band adds more
  std::string c;
  c.reserve(static_cast<std::size_t>(n) * n * 2);
  c += "q ";
  number(c, side / span);
  c += "0 0 ";
  number(c, side / span);
  c += "0 0 cm 0 g\n";
  char buffer[16];
  auto integer = [&](int v) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    c.append(buffer, end);
    c += ' ';
  };
  for (int row = 0; row < n; ++row) {
    for (int col = 0; col < n;) {
      if ((code->data[row * n + col] & 1) == 0) {
        ++col;
        continue;
      }
      int run = col;
      while (run < n && (code->data[row * n + run] & 1) != 0) ++run;
      integer(col + 1), integer(span - row - 2), integer(run - col);
      c += "1 re\n";
      col = run;
    }
  }
  c += "f Q\n";
  // Stored, not deflated: zlib took ~0.1 ms over these ~5 KB of repetitive
  // operators (more than the page's layout of a box), to save ~3.5 KB.
  xobject->GetObject()->GetStream()->Set(c.data(), static_cast<pdf_long>(c.size()), TVecFilters());
  return xobject;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string lang_tag(const std::string& lang) { return lang == "kk" ? "kk-KZ" : "ru-RU"; }

void add_metadata(PdfMemDocument& doc, const docs::PrintedForm& form, const PdfOptions& options, Instant created) {
  auto join = [&](const docs::BilingualText& t) {
    std::string out;
    for (const auto& l : options.languages) {
      const std::string& s = t.in(l);
      if (s.empty() || out.find(s) != std::string::npos) continue;
      out += (out.empty() ? "" : " / ") + s;
    }
    return out;
  };
  const std::string title = join(form.title);
  std::string subject = form.number.empty() ? form.kind : "№ " + form.number;
  if (const std::string sub = join(form.subtitle); !sub.empty()) subject += " — " + sub;

  PdfInfo* info = doc.GetInfo();
  info->SetTitle(utf8(title));
  info->SetSubject(utf8(subject));
  info->SetKeywords(utf8(form.kind + (form.number.empty() ? "" : ", " + form.number)));
  info->SetCreator(utf8("qujat"));
  info->SetProducer(utf8(options.producer));
  const PdfString date(pdf_date(created));
  info->GetObject()->GetDictionary().AddKey("CreationDate", date);
  info->GetObject()->GetDictionary().AddKey("ModDate", date);

  PdfDictionary& catalog = doc.GetCatalog()->GetDictionary();
  catalog.AddKey("Lang", PdfString(lang_tag(options.languages.front())));

  const std::string when = format_instant_utc(created);
  std::string xmp =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
      " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
      "<dc:format>application/pdf</dc:format>\n"
      "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(title) + "</rdf:li>";
  for (const auto& l : options.languages)
    if (!form.title.in(l).empty())
      xmp += "<rdf:li xml:lang=\"" + lang_tag(l) + "\">" + xml_escape(form.title.in(l)) + "</rdf:li>";
  xmp += "</rdf:Alt></dc:title>\n"
         "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(subject) +
         "</rdf:li></rdf:Alt></dc:description>\n"
         "<dc:language><rdf:Bag>";
  for (const auto& l : options.languages) xmp += "<rdf:li>" + lang_tag(l) + "</rdf:li>";
  xmp += "</rdf:Bag></dc:language>\n"
         "<xmp:CreateDate>" + when + "</xmp:CreateDate>\n"
         "<xmp:ModifyDate>" + when + "</xmp:ModifyDate>\n"
         "<xmp:MetadataDate>" + when + "</xmp:MetadataDate>\n"
         "<xmp:CreatorTool>qujat</xmp:CreatorTool>\n"
         "<pdf:Producer>" + xml_escape(options.producer) + "</pdf:Producer>\n"
         "<pdf:Keywords>" + xml_escape(form.kind + (form.number.empty() ? "" : ", " + form.number)) +
         "</pdf:Keywords>\n"
         "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
  PdfObject* metadata = doc.GetObjects().CreateObject("Metadata");
  metadata->GetDictionary().AddKey("Subtype", PdfName("XML"));
  // Uncompressed, as XMP readers that scan files for packets expect.
  metadata->GetStream()->Set(xmp.data(), static_cast<pdf_long>(xmp.size()), TVecFilters());
  catalog.AddKey("Metadata", metadata->Reference());
}

// Page content is written as PDF operators directly: the text is already
// laid out and encoded as glyph indices, so PoDoFo's painter would only
// re-measure and re-encode it.
std::string page_content(const Page& page, const PageGeometry& g, const EmbeddedFonts& fonts, bool with_qr,
                         const LaidOutForm& laid) {
  std::string c;
  c.reserve(8192);
  c += "0.5 w 0 G 0 g\n";
  for (const Stroke& s : page.strokes) {
    if (s.fill) {
      c += "0.93 g ";
      number(c, s.x), number(c, g.height - s.y - s.h), number(c, s.w), number(c, s.h);
      c += "re f 0 g\n";
    } else if (s.w == 0 || s.h == 0) {
      number(c, s.x), number(c, g.height - s.y);
      c += "m ";
      number(c, s.x + s.w), number(c, g.height - s.y - s.h);
      c += "l S\n";
    } else {
      number(c, s.x), number(c, g.height - s.y - s.h), number(c, s.w), number(c, s.h);
      c += "re S\n";
    }
  }
  c += "BT\n";
  FaceStyle current_face = FaceStyle::Regular;
  double current_size = -1;
  for (const TextRun& t : page.texts) {
    if (t.face != current_face || t.size != current_size) {
      c += t.face == FaceStyle::Bold ? "/QjB " : "/QjR ";
      number(c, t.size);
      c += "Tf\n";
      current_face = t.face;
      current_size = t.size;
    }
    c += "1 0 0 1 ";
    number(c, t.x), number(c, g.height - t.baseline);
    c += "Tm ";
    c += fonts.glyph_string(t.face, t.text);
    c += " Tj\n";
  }
  c += "ET\n";
  if (with_qr) {
    c += "q 1 0 0 1 ";
    number(c, laid.qr_x), number(c, g.height - laid.qr_y - laid.qr_side);
    c += "cm /QjQR Do Q\n";
  }
  return c;
}

constexpr std::size_t kStoredContentLimit = 16 * 1024;

void paint(PdfMemDocument& doc, const LaidOutForm& laid, const docs::PrintedForm& form) {
  EmbeddedFonts fonts(doc, FontSet::instance(), laid.pages);
  std::unique_ptr<PdfXObject> qr;
  if (laid.qr_side > 0) qr = qr_xobject(doc, form.verification_url, laid.qr_side);

  const PageGeometry& g = laid.geometry;
  std::vector<std::string> contents;
  std::size_t total = 0;
  for (const Page& laid_page : laid.pages) {
    contents.push_back(page_content(laid_page, g, fonts, qr != nullptr, laid));
    total += contents.back().size();
  }
  // A one-sheet form's content (~10 KB) is stored as is: deflating it took a
  // third of the render time to save ~8 KB. Longer forms are compressed.
  const bool store = total <= kStoredContentLimit;
  for (const std::string& content : contents) {
    PdfPage* page = doc.CreatePage(PdfRect(0, 0, g.width, g.height));
    PdfStream* stream = page->GetContentsForAppending()->GetStream();
    if (store)
      stream->Set(content.data(), static_cast<pdf_long>(content.size()), TVecFilters());
    else
      stream->Set(content.data(), static_cast<pdf_long>(content.size()));
    PdfDictionary& resources = page->GetResources()->GetDictionary();
    PdfDictionary font_dict;
    font_dict.AddKey("QjR", fonts.reference(FaceStyle::Regular));
    font_dict.AddKey("QjB", fonts.reference(FaceStyle::Bold));
    resources.AddKey("Font", font_dict);
    if (qr) {
      PdfDictionary xobjects;
      xobjects.AddKey("QjQR", qr->GetObject()->Reference());
      resources.AddKey("XObject", xobjects);
    }
  }
  fonts.finish();
}

}  // namespace

std::vector<std::string> parse_languages(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    std::string item(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    while (!item.empty() && item.back() == ' ') item.pop_back();
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    if ((item != "kk" && item != "ru") || std::find(out.begin(), out.end(), item) != out.end())
      throw Error("render.lang", "languages must be kk, ru, kk,ru or ru,kk; got \"" + std::string(list) + "\"");
    out.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Bytes render_pdf(const docs::PrintedForm& form, const PdfOptions& options) {
  silence_podofo_log();
  PdfOptions opts = options;
  if (opts.languages.empty()) opts.languages = form.languages;
  if (opts.languages.empty()) opts.languages = {"kk", "ru"};
  for (const auto& l : opts.languages)
    if (l != "kk" && l != "ru") throw Error("render.lang", "unsupported language \"" + l + "\"");

  LayoutOptions layout;
  layout.languages = opts.languages;
  layout.sheet_pattern =
      opts.sheet_pattern.kk.empty() && opts.sheet_pattern.ru.empty() ? default_sheet_pattern() : opts.sheet_pattern;
  const LaidOutForm laid = lay_out(form, layout, FontSet::instance());

  const Instant created = opts.creation_time ? *opts.creation_time : now_utc();
  try {
    const auto document = new_document();
    PdfMemDocument& doc = *document;
    doc.SetPdfVersion(ePdfVersion_1_7);
    paint(doc, laid, form);
    add_metadata(doc, form, opts, created);
    if (opts.signature) return write_signed(doc, *opts.signature, created);
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    doc.Write(&device);
    const auto* data = reinterpret_cast<const std::uint8_t*>(buffer.GetBuffer());
    return Bytes(data, data + device.GetLength());
  } catch (const PdfError& e) {
    throw Error("render.pdf", "PoDoFo could not write the PDF", {describe(e)});
  }
}

}  // namespace qujat::render
