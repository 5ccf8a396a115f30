// Printed forms built by hand, as docs/ would build them from the samples:
// a one-page export licence and an EUC with forty goods rows (several sheets).
// Every value carries Kazakh letters so a lost glyph shows in the text.
#pragma once

#include <string>

#include "qujat/docs/printed_form.h"

namespace qujat::test {

inline docs::BilingualText bi(std::string kk, std::string ru) { return {std::move(kk), std::move(ru)}; }
inline docs::BilingualText same(std::string s) { return {s, s}; }

inline docs::FormBox box(std::string number, docs::BilingualText label, std::vector<docs::BilingualText> lines,
                         int columns = 1) {
  docs::FormBox b;
  b.number = std::move(number);
  b.label = std::move(label);
  b.lines = std::move(lines);
  b.columns = columns;
  return b;
}

inline docs::PrintedForm export_licence_form() {
  docs::PrintedForm f;
  f.kind = "export-licence";
  f.number = "KZ-EXP-2026-000042";
  f.issue_date = bi("2026 жылғы 9 қаңтар", "9 января 2026 г.");
  f.authority_header = {bi("Қазақстан Республикасының Сауда және интеграция министрлігі",
                           "Министерство торговли и интеграции Республики Казахстан"),
                        bi("Сауда комитеті", "Комитет торговли"), bi("Астана қ.", "г. Астана")};
  f.title = bi("ЭКСПОРТҚА ЛИЦЕНЗИЯ", "ЛИЦЕНЗИЯ НА ЭКСПОРТ");
  f.subtitle = bi("1-нысан", "Форма 1");
  docs::FormBlock grid;
  grid.grid_columns = 2;
  grid.boxes = {
      box("1", bi("Лицензияның нөмірі", "Номер лицензии"), {same("KZ-EXP-2026-000042")}),
      box("2", bi("Қолданылу мерзімі", "Срок действия"),
          {bi("2026 жылғы 9 қаңтардан бастап 2026 жылғы 31 желтоқсанға дейін", "с 9 января 2026 г. по 31 декабря 2026 г.")}),
      box("3", bi("Өтініш беруші", "Заявитель"),
          {same("«Өскемен Құрылыс Өнімдері» ЖШС"), bi("БСН 123456789021", "БИН 123456789021"),
           bi("Өскемен қ., Жиһаз көшесі, 7", "г. Усть-Каменогорск, улица Жиһаз, 7")},
          2),
      box("4", bi("Сатып алушы", "Покупатель"), {same("Hüseyin Ticaret A.Ş."), bi("Түркия", "Турция")}),
      box("5", bi("Тағайындалған елі", "Страна назначения"), {bi("Түркия", "Турция")}),
      box("6", bi("Келісімшарт", "Контракт"), {bi("2025 жылғы 12 желтоқсандағы № 17-ҚҰ", "№ 17-ҚҰ от 12 декабря 2025 г.")}),
      box("7", bi("Валютасы", "Валюта"), {same("USD")}),
  };
  f.blocks.push_back(grid);
  docs::FormBlock goods;
  goods.kind = docs::FormBlockKind::Table;
  goods.table.columns = {box("8", bi("Тауардың атауы", "Наименование товара"), {}),
                         box("9", bi("ЕАЭО СЭҚ ТН коды", "Код ТН ВЭД ЕАЭС"), {}),
                         box("10", bi("Өлшем бірлігі", "Единица измерения"), {}),
                         box("11", bi("Саны", "Количество"), {})};
  goods.table.column_weights = {5, 2, 2, 2};
  goods.table.rows = {{bi("Өңделмеген қорғасын, құрамында сурьмасы бар", "Свинец необработанный, содержащий сурьму"),
                       same("7801 91 000 0"), bi("тонна", "тонна"), same("120,5")}};
  f.blocks.push_back(goods);
  docs::FormBlock more;
  more.grid_columns = 3;
  more.boxes = {box("12", bi("Құны", "Стоимость"), {same("1 250 000,00 USD")}),
                box("13", bi("Негіздеме", "Основание"), {bi("Үкімет қаулысы", "Постановление Правительства")}),
                box("14", bi("Қосымша ақпарат", "Дополнительная информация"), {bi("Жоқ", "Нет")})};
  f.blocks.push_back(more);
  docs::FormBlock attestation;
  attestation.kind = docs::FormBlockKind::Paragraph;
  attestation.paragraph = bi("Лицензия электрондық құжат түрінде берілді және қағаз құжатпен тең.",
                             "Лицензия выдана в форме электронного документа и равнозначна документу на бумаге.");
  f.blocks.push_back(attestation);
  f.signatory_position = bi("Сауда комитеті төрағасының орынбасары", "Заместитель председателя Комитета торговли");
  f.signatory_name = "Әлібек Ғалымұлы Құнанбаев";
  f.footer = bi("Құжат электрондық цифрлық қолтаңбамен қол қойылған. Түпнұсқалығын https://qujat.example.kz/verify/KZ-EXP-2026-000042 мекенжайында тексеріңіз, код 7Q4-ҮҺІ.",
                "Документ подписан электронной цифровой подписью. Проверить подлинность: https://qujat.example.kz/verify/KZ-EXP-2026-000042, код 7Q4-ҮҺІ.");
  f.verification_url = "https://qujat.example.kz/verify/KZ-EXP-2026-000042?code=7Q4UHI";
  f.verification_code = "7Q4UHI";
  return f;
}

inline docs::PrintedForm euc_form(int goods_rows) {
  docs::PrintedForm f;
  f.kind = "euc";
  f.number = "KZ-EUC-2026-000007";
  f.issue_date = bi("2026 жылғы 14 ақпан", "14 февраля 2026 г.");
  f.authority_header = {bi("Қазақстан Республикасының Сауда және интеграция министрлігі",
                           "Министерство торговли и интеграции Республики Казахстан")};
  f.title = bi("СОҢҒЫ ПАЙДАЛАНУШЫ СЕРТИФИКАТЫ", "СЕРТИФИКАТ КОНЕЧНОГО ПОЛЬЗОВАТЕЛЯ");
  docs::FormBlock grid;
  grid.grid_columns = 2;
  grid.boxes = {box("1", bi("Импорттаушы", "Импортер"), {same("«Қазығұрт Машина» АҚ")}),
                box("2", bi("Экспорттаушы", "Экспортер"), {same("Ørsted Maskin GmbH")}),
                box("3", bi("Соңғы пайдаланушы", "Конечный пользователь"), {same("«Қазығұрт Машина» АҚ")}, 2)};
  f.blocks.push_back(grid);
  docs::FormBlock goods;
  goods.kind = docs::FormBlockKind::Table;
  goods.table.columns = {box("4", bi("Р/с №", "№ п/п"), {}), box("5", bi("Тауардың сипаттамасы", "Описание товара"), {}),
                         box("6", bi("Коды", "Код"), {}), box("7", bi("Саны", "Количество"), {})};
  goods.table.column_weights = {1, 6, 2, 2};
  for (int i = 1; i <= goods_rows; ++i) {
    const std::string n = std::to_string(i);
    goods.table.rows.push_back({same(n),
                                bi("Өнеркәсіптік сорғы бөлшегі, үлгі ҚҒ-" + n + ", тот баспайтын болат",
                                   "Деталь промышленного насоса, модель ҚҒ-" + n + ", нержавеющая сталь"),
                                same("8413 91 000 " + n), bi(n + " дана", n + " шт.")});
  }
  f.blocks.push_back(goods);
  docs::FormBlock undertaking;
  undertaking.kind = docs::FormBlockKind::Paragraph;
  undertaking.paragraph = bi("Біз тауарларды мәлімделген мақсатта ғана пайдаланатынымызды растаймыз.",
                             "Мы подтверждаем, что товары будут использованы только в заявленных целях.");
  f.blocks.push_back(undertaking);
  f.signatory_position = bi("Басқарма төрағасы", "Председатель правления");
  f.signatory_name = "Нұрсұлтан Өмірұлы Үкібаев";
  f.footer = bi("Электрондық құжат. Тексеру: https://qujat.example.kz/verify/KZ-EUC-2026-000007",
                "Электронный документ. Проверка: https://qujat.example.kz/verify/KZ-EUC-2026-000007");
  f.verification_url = "https://qujat.example.kz/verify/KZ-EUC-2026-000007?code=K2PQ9";
  f.verification_code = "K2PQ9";
  return f;
}

}  // namespace qujat::test
