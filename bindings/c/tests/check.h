/* The C tests' one assertion: counts passes and failures, prints each failure with its place. */
#ifndef IAMAUTH_TESTS_CHECK_H
#define IAMAUTH_TESTS_CHECK_H

#include <stdio.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int passed, failed;

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
        } else {                                                            \
            failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

#endif
