/*
 * names.c - printable names of the public enums (zanlint.h).
 */
#include "zanlint.h"

const char *zl_lang_name(zl_lang lang)
{
    switch (lang) {
    case ZL_LANG_RU: return "ru";
    case ZL_LANG_KK: return "kk";
    default: return "other";
    }
}

const char *zl_severity_name(zl_severity sev)
{
    switch (sev) {
    case ZL_SEV_ERROR: return "error";
    case ZL_SEV_WARNING: return "warning";
    default: return "info";
    }
}
