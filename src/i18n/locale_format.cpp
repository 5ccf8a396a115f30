#include "qujat/i18n/locale_format.h"

#include <unicode/calendar.h>
#include <unicode/coll.h>
#include <unicode/locdspnm.h>
#include <unicode/numberformatter.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include "qujat/common/error.h"

namespace qujat::i18n {
namespace {

bool is_kk(std::string_view lang) { return lang == "kk"; }

const icu::Locale& locale_of(std::string_view lang) {
  static const icu::Locale kk("kk", "KZ");
  static const icu::Locale ru("ru", "RU");
  return is_kk(lang) ? kk : ru;
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString ustr(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

// ICU 72's long kk pattern is "y 'ж'. d MMMM" (year first); the seed forms and
// the office print the day first, "9 қаңтар 2026 ж.", like ru "9 января 2026 г.".
// These are date layouts, not wording: the literal is the year abbreviation.
struct DateFormats {
  std::unique_ptr<icu::SimpleDateFormat> kk, ru;
  std::unique_ptr<icu::Calendar> calendar;
};

DateFormats& date_formats() {
  thread_local DateFormats formats = [] {
    DateFormats f;
    UErrorCode status = U_ZERO_ERROR;
    f.kk = std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString::fromUTF8("d MMMM y 'ж'."), locale_of("kk"), status);
    f.ru = std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString::fromUTF8("d MMMM y 'г'."), locale_of("ru"), status);
    f.calendar.reset(icu::Calendar::createInstance(icu::TimeZone::getGMT()->clone(), status));
    if (U_FAILURE(status)) throw Error("i18n.icu", std::string("ICU date formats unavailable: ") + u_errorName(status));
    f.kk->setTimeZone(*icu::TimeZone::getGMT());
    f.ru->setTimeZone(*icu::TimeZone::getGMT());
    return f;
  }();
  return formats;
}

struct NumberFormats {
  icu::number::LocalizedNumberFormatter kk = icu::number::NumberFormatter::withLocale(locale_of("kk"));
  icu::number::LocalizedNumberFormatter ru = icu::number::NumberFormatter::withLocale(locale_of("ru"));
  const icu::number::LocalizedNumberFormatter& of(std::string_view lang) const { return is_kk(lang) ? kk : ru; }
};

const NumberFormats& number_formats() {
  static const NumberFormats formats;  // LocalizedNumberFormatter is immutable and thread-safe
  return formats;
}

// Validates "-?digits(.digits)?" and returns the number of fraction digits.
int fraction_digits(std::string_view d) {
  std::size_t i = (!d.empty() && (d[0] == '-' || d[0] == '+')) ? 1 : 0;
  std::size_t int_digits = 0, frac = 0;
  bool dot = false;
  for (; i < d.size(); ++i) {
    char c = d[i];
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      (dot ? frac : int_digits)++;
    } else {
      throw Error("i18n.bad_number", "not a decimal number: \"" + std::string(d) + "\"");
    }
  }
  if (int_digits == 0 || (dot && frac == 0))
    throw Error("i18n.bad_number", "not a decimal number: \"" + std::string(d) + "\"");
  return static_cast<int>(frac);
}

std::string format_with(const icu::number::LocalizedNumberFormatter& f, std::string_view decimal) {
  UErrorCode status = U_ZERO_ERROR;
  auto formatted = f.formatDecimal(icu::StringPiece(decimal.data(), static_cast<int32_t>(decimal.size())), status);
  auto text = formatted.toString(status);
  if (U_FAILURE(status)) throw Error("i18n.bad_number", "cannot format \"" + std::string(decimal) + "\": " + u_errorName(status));
  return utf8(text);
}

struct Collators {
  std::unique_ptr<icu::Collator> kk, ru;
};

icu::Collator& collator(std::string_view lang) {
  thread_local Collators c = [] {
    Collators out;
    UErrorCode status = U_ZERO_ERROR;
    out.kk.reset(icu::Collator::createInstance(locale_of("kk"), status));
    out.ru.reset(icu::Collator::createInstance(locale_of("ru"), status));
    if (U_FAILURE(status) || !out.kk || !out.ru) throw Error("i18n.icu", "ICU collators unavailable");
    return out;
  }();
  return is_kk(lang) ? *c.kk : *c.ru;
}

struct DisplayNames {
  std::unique_ptr<icu::LocaleDisplayNames> kk, ru;
};

icu::LocaleDisplayNames& display_names(std::string_view lang) {
  thread_local DisplayNames d{std::unique_ptr<icu::LocaleDisplayNames>(icu::LocaleDisplayNames::createInstance(locale_of("kk"))),
                              std::unique_ptr<icu::LocaleDisplayNames>(icu::LocaleDisplayNames::createInstance(locale_of("ru")))};
  return is_kk(lang) ? *d.kk : *d.ru;
}

}  // namespace

std::string format_date(Date date, std::string_view lang) {
  if (!date.ok()) throw Error("i18n.bad_date", "not a calendar date");
  auto& f = date_formats();
  UErrorCode status = U_ZERO_ERROR;
  f.calendar->clear();
  f.calendar->set(static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())) - 1,
                  static_cast<int>(static_cast<unsigned>(date.day())));
  UDate when = f.calendar->getTime(status);
  if (U_FAILURE(status)) throw Error("i18n.bad_date", "ICU calendar rejected the date");
  icu::UnicodeString out;
  (is_kk(lang) ? f.kk : f.ru)->format(when, out);
  return utf8(out);
}

std::string format_date(std::string_view iso_date, std::string_view lang) {
  auto d = parse_date(iso_date);
  if (!d) throw Error("i18n.bad_date", "not a date YYYY-MM-DD: \"" + std::string(iso_date) + "\"");
  return format_date(*d, lang);
}

// A LocalizedNumberFormatter builds its formatting pipeline anew on each of
// its first few uses and keeps a compiled one after that, so the settled
// formatters (per language and fraction digits or currency) are kept per
// thread instead of being made for every number. The keys come from the
// input (fraction digits, currency codes), so only the first few are kept.
std::string format_settled(std::string key, std::string_view decimal,
                           const std::function<icu::number::LocalizedNumberFormatter()>& make) {
  constexpr std::size_t kKept = 64;
  thread_local std::map<std::string, icu::number::LocalizedNumberFormatter> formatters;
  auto it = formatters.find(key);
  if (it == formatters.end()) {
    if (formatters.size() >= kKept) return format_with(make(), decimal);
    it = formatters.emplace(std::move(key), make()).first;
  }
  return format_with(it->second, decimal);
}

std::string format_decimal(std::string_view decimal, std::string_view lang) {
  int frac = fraction_digits(decimal);
  return format_settled(std::string(is_kk(lang) ? "kk/" : "ru/") + std::to_string(frac), decimal, [&] {
    return number_formats().of(lang).precision(icu::number::Precision::fixedFraction(frac));
  });
}

std::string format_money(std::string_view decimal, std::string_view currency, std::string_view lang) {
  fraction_digits(decimal);
  if (currency.size() != 3) return format_decimal(decimal, lang) + (currency.empty() ? "" : " " + std::string(currency));
  UErrorCode status = U_ZERO_ERROR;
  std::u16string iso(currency.begin(), currency.end());
  icu::CurrencyUnit unit(iso.c_str(), status);
  if (U_FAILURE(status)) return format_decimal(decimal, lang) + " " + std::string(currency);
  return format_settled(std::string(is_kk(lang) ? "kk/" : "ru/") + std::string(currency), decimal, [&] {
    return number_formats()
        .of(lang)
        .unit(unit)
        .unitWidth(UNUM_UNIT_WIDTH_ISO_CODE)
        .precision(icu::number::Precision::currency(UCURR_USAGE_STANDARD));
  });
}

std::string country_name(std::string_view code, std::string_view lang) {
  icu::UnicodeString name;
  display_names(lang).regionDisplayName(std::string(code).c_str(), name);
  std::string out = utf8(name);
  return out.empty() ? std::string(code) : out;
}

std::string currency_name(std::string_view code, std::string_view lang) {
  if (code.size() != 3) return std::string(code);
  UErrorCode status = U_ZERO_ERROR;
  std::u16string iso(code.begin(), code.end());
  UBool is_choice = false;
  int32_t length = 0;
  const char* loc = is_kk(lang) ? "kk" : "ru";
  const UChar* name = ucurr_getName(iso.c_str(), loc, UCURR_LONG_NAME, &is_choice, &length, &status);
  if (U_FAILURE(status) || name == nullptr) return std::string(code);
  return utf8(icu::UnicodeString(name, length));
}

std::string to_upper(std::string_view text, std::string_view lang) {
  auto s = ustr(text);
  s.toUpper(locale_of(lang));
  return utf8(s);
}

int collate(std::string_view a, std::string_view b, std::string_view lang) {
  UErrorCode status = U_ZERO_ERROR;
  auto r = collator(lang).compareUTF8(icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
                                      icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
  return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

void sort_texts(std::vector<std::string>& texts, std::string_view lang) {
  std::stable_sort(texts.begin(), texts.end(),
                   [&](const std::string& a, const std::string& b) { return collate(a, b, lang) < 0; });
}

}  // namespace qujat::i18n
