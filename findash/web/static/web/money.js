/*
 * Formatting of the API's exact decimal strings ("1234.50", "-12.00").
 *
 * Amounts are never turned into floating-point numbers: the digits of the string are
 * kept, and Intl only supplies the locale's symbols (currency sign, separators, sign
 * position). Sums use BigInt on the scaled digits, so they are exact as well.
 * Works in the browser (window.FindashFormat) and in Node (require) for the tests.
 */
(function (root, factory) {
  "use strict";
  const format = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = format;
  } else {
    root.FindashFormat = format;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
  const MAX_FRACTION_DIGITS = 20;
  const DASH = "—";

  function parseDecimal(text) {
    if (text === null || text === undefined) {
      return null;
    }
    const match = DECIMAL.exec(String(text).trim());
    if (!match) {
      return null;
    }
    const integer = match[2].replace(/^0+(?=\d)/, "");
    const fraction = match[3] || "";
    const isZero = /^0*$/.test(integer + fraction);
    return { negative: match[1] === "-" && !isZero, integer, fraction };
  }

  function localeSymbols(locale) {
    const parts = new Intl.NumberFormat(locale, { numberingSystem: "latn" }).formatToParts(
      1234567.5
    );
    const find = (type, fallback) => {
      const part = parts.find((p) => p.type === type);
      return part ? part.value : fallback;
    };
    return { group: find("group", ","), decimal: find("decimal", ".") };
  }

  function groupDigits(integer, separator) {
    return integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  /** "1234.5" -> "1,234.5" in the locale's separators; non-decimals come back unchanged. */
  function decimal(text, locale) {
    const parsed = parseDecimal(text);
    if (parsed === null) {
      return text === null || text === undefined ? DASH : String(text);
    }
    const symbols = localeSymbols(locale);
    const sign = parsed.negative ? "-" : "";
    const fraction = parsed.fraction ? symbols.decimal + parsed.fraction : "";
    return sign + groupDigits(parsed.integer, symbols.group) + fraction;
  }

  /** "-1234.50", "USD" -> "-$1,234.50" (en-US): the string's own digits, the locale's symbols. */
  function money(amount, currency, locale) {
    const parsed = parseDecimal(amount);
    if (parsed === null) {
      return amount === null || amount === undefined ? DASH : String(amount);
    }
    if (parsed.fraction.length > MAX_FRACTION_DIGITS) {
      return decimal(amount, locale) + " " + currency;
    }
    let parts;
    try {
      const formatter = new Intl.NumberFormat(locale, {
        style: "currency",
        currency: currency,
        numberingSystem: "latn",
        minimumFractionDigits: parsed.fraction.length,
        maximumFractionDigits: parsed.fraction.length,
      });
      // A template: only its symbols and their order are used, never its digits.
      parts = formatter.formatToParts(parsed.negative ? -1 : 1);
    } catch (error) {
      return decimal(amount, locale) + " " + currency;
    }
    const group = localeSymbols(locale).group;
    let out = "";
    let integerWritten = false;
    for (const part of parts) {
      if (part.type === "integer") {
        if (!integerWritten) {
          out += groupDigits(parsed.integer, group);
          integerWritten = true;
        }
      } else if (part.type === "fraction") {
        out += parsed.fraction;
      } else if (part.type !== "group") {
        out += part.value;
      }
    }
    return out;
  }

  /** Moves the decimal point: shiftDecimal("0.3521", 2) -> "35.21". */
  function shiftDecimal(text, places) {
    const parsed = parseDecimal(text);
    if (parsed === null) {
      return null;
    }
    let digits = parsed.integer + parsed.fraction;
    let point = parsed.integer.length + places;
    while (digits.length < point) {
      digits += "0";
    }
    while (point < 1) {
      digits = "0" + digits;
      point += 1;
    }
    const integer = digits.slice(0, point).replace(/^0+(?=\d)/, "");
    const fraction = digits.slice(point);
    return (parsed.negative ? "-" : "") + integer + (fraction ? "." + fraction : "");
  }

  /** A ratio string ("0.3521") as a percentage ("35.21%"); null -> dash. */
  function ratioPercent(text, locale) {
    const shifted = shiftDecimal(text, 2);
    return shifted === null ? DASH : decimal(shifted, locale) + "%";
  }

  /** A percentage string ("87.50") as "87.50%"; null -> dash. */
  function percent(text, locale) {
    return parseDecimal(text) === null ? DASH : decimal(text, locale) + "%";
  }

  /** "1.0402000000" -> "1.0402": exchange rates without their padding. */
  function trimZeros(text) {
    const parsed = parseDecimal(text);
    if (parsed === null) {
      return text === null || text === undefined ? DASH : String(text);
    }
    const fraction = parsed.fraction.replace(/0+$/, "");
    return (parsed.negative ? "-" : "") + parsed.integer + (fraction ? "." + fraction : "");
  }

  /** Exact sum of decimal strings (BigInt on scaled digits); null if one is not a decimal. */
  function sumDecimals(values) {
    const parsed = values.map(parseDecimal);
    if (parsed.some((p) => p === null)) {
      return null;
    }
    const scale = parsed.reduce((most, p) => Math.max(most, p.fraction.length), 0);
    let total = BigInt(0);
    for (const p of parsed) {
      const scaled = BigInt(p.integer + p.fraction.padEnd(scale, "0"));
      total += p.negative ? -scaled : scaled;
    }
    const negative = total < BigInt(0);
    const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
    const integer = digits.slice(0, digits.length - scale);
    const fraction = digits.slice(digits.length - scale);
    return (negative ? "-" : "") + integer + (scale ? "." + fraction : "");
  }

  /** Whether a decimal string is below zero (for styling only). */
  function isNegative(text) {
    const parsed = parseDecimal(text);
    return parsed !== null && parsed.negative;
  }

  /** Width of a bar in percent, clamped to 0..100: display only, never used for sums. */
  function barWidth(value) {
    const number = Number(value);
    if (!Number.isFinite(number)) {
      return 0;
    }
    return Math.min(100, Math.max(0, number));
  }

  function utcDate(text) {
    const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(String(text || ""));
    if (!match) {
      return null;
    }
    return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3] || "1")));
  }

  /** "2026-11-01" -> "Nov 1, 2026" (en-US). */
  function date(text, locale) {
    const value = utcDate(text);
    if (value === null) {
      return text ? String(text) : DASH;
    }
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(value);
  }

  /** "2026-11" -> "Nov 2026" (en-US). */
  function month(text, locale) {
    const value = utcDate(text);
    if (value === null) {
      return text ? String(text) : DASH;
    }
    return new Intl.DateTimeFormat(locale, {
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    }).format(value);
  }

  return {
    barWidth,
    date,
    decimal,
    isNegative,
    money,
    month,
    parseDecimal,
    percent,
    ratioPercent,
    shiftDecimal,
    sumDecimals,
    trimZeros,
  };
});
