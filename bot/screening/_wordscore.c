/* The word model's featuriser and scorer in one pass over a share (bot/screening/learned.py).
 *
 * learned.probability() needs two sums over the share's TF-IDF features: the squared norm and the
 * dot product with the weights. In numpy that is some twenty array steps of 5-40 us each on a slow
 * host; here it is one pass over the code points. This file is an optional build (setup.py): when it
 * is missing, learned.py counts the same features in numpy, and a test compares the two.
 *
 * What a share's features are (the same as learned._scored_tokens and learned._latin_sums):
 *   - a word is a run of [a-z0-9'] (the text is normalised: lower case); any other code point is a
 *     space, except a run of Chinese characters, which is one token that is no word;
 *   - a word the model knows brings its slice of `pieces` (the word and its four-letter pieces);
 *     one it does not know brings those of its four-letter pieces (" word " padded) the model knows;
 *   - two adjacent tokens that are both known words bring their pair, if the model knows it;
 *   - each Chinese character is its code point, each pair of adjacent ones first * 65536 + second.
 * Each distinct feature f counted c times adds v = (1 + ln c) * idf[f] to the sums: v * v to the
 * square, v * coef[f] to the dot product.
 *
 * The function never releases the GIL, so the counting table it keeps between calls is never shared.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    uint64_t hash;
    Py_ssize_t offset; /* into Scorer.spelling */
    Py_ssize_t length;
    int32_t id; /* -1: an empty slot */
} Slot;

typedef struct {
    int64_t key; /* -1: an empty entry (every key is at least 0) */
    int32_t feature;
} Entry;

typedef struct {
    Entry *entries;
    uint64_t mask; /* entries - 1, a power of two minus one */
} Table;

typedef struct {
    PyObject_HEAD
    char *spelling; /* every known word's UTF-8, one after another */
    Slot *slots;
    size_t mask; /* slots - 1, a power of two minus one */
    int32_t n_words;
    int32_t *starts; /* n_words + 1 */
    int32_t *pieces;
    Table pairs; /* first word id * n_words + second: feature */
    Table grams; /* a piece's four bytes, the first in the lowest: feature */
    Table han;   /* a Chinese character's code point, or a pair's first * 65536 + second: feature */
    double *idf;
    double *coef;
    Py_ssize_t n_features;
    int32_t *counts;  /* n_features, all zero between calls */
    int32_t *touched; /* the features counted in this call, each once */
} Scorer;

static uint64_t fnv1a(const unsigned char *bytes, Py_ssize_t length) {
    uint64_t hash = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < length; i++) {
        hash ^= bytes[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

static int32_t word_id(const Scorer *self, const unsigned char *word, Py_ssize_t length) {
    uint64_t hash = fnv1a(word, length);
    for (size_t at = (size_t)hash & self->mask;; at = (at + 1) & self->mask) {
        const Slot *slot = &self->slots[at];
        if (slot->id < 0) {
            return -1;
        }
        if (slot->hash == hash && slot->length == length &&
            memcmp(self->spelling + slot->offset, word, (size_t)length) == 0) {
            return slot->id;
        }
    }
}

static inline uint64_t mix(int64_t key) { return ((uint64_t)key * 0x9E3779B97F4A7C15ULL) >> 17; }

static inline int32_t lookup(const Table *table, int64_t key) {
    for (uint64_t at = mix(key) & table->mask;; at = (at + 1) & table->mask) {
        const Entry *entry = &table->entries[at];
        if (entry->key == key) {
            return entry->feature;
        }
        if (entry->key < 0) {
            return -1;
        }
    }
}

/* A table of `n` keys (int64, or uint32 when `narrow`) and their features; -1 and an error if a key
 * is negative or listed twice, or a feature is out of range. */
static int fill(Table *table, const char *name, Py_buffer *keys, Py_buffer *features, int narrow,
                Py_ssize_t n_features) {
    Py_ssize_t size = narrow ? 4 : 8;
    if (keys->len % size != 0 || features->len % 4 != 0 || keys->len / size != features->len / 4) {
        PyErr_Format(PyExc_ValueError, "%s: the keys and features do not pair up", name);
        return -1;
    }
    Py_ssize_t n = features->len / 4;
    uint64_t slots = 1;
    while (slots < 2 * (uint64_t)n + 1) {
        slots *= 2;
    }
    table->entries = PyMem_Malloc(slots * sizeof(Entry));
    if (table->entries == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    table->mask = slots - 1;
    for (uint64_t i = 0; i < slots; i++) {
        table->entries[i].key = -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t key;
        int32_t feature;
        if (narrow) {
            uint32_t k;
            memcpy(&k, (const char *)keys->buf + 4 * i, 4);
            key = k;
        } else {
            memcpy(&key, (const char *)keys->buf + 8 * i, 8);
        }
        memcpy(&feature, (const char *)features->buf + 4 * i, 4);
        if (key < 0 || feature < 0 || feature >= n_features) {
            PyErr_Format(PyExc_ValueError, "%s: a negative key or a feature number out of range", name);
            return -1;
        }
        uint64_t at = mix(key) & table->mask;
        while (table->entries[at].key >= 0) {
            if (table->entries[at].key == key) {
                PyErr_Format(PyExc_ValueError, "%s: a key listed twice", name);
                return -1;
            }
            at = (at + 1) & table->mask;
        }
        table->entries[at] = (Entry){key, feature};
    }
    return 0;
}

static inline void count(Scorer *self, int32_t feature, Py_ssize_t *n_touched) {
    if (self->counts[feature]++ == 0) {
        self->touched[(*n_touched)++] = feature;
    }
}

static inline int is_word(Py_UCS4 c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
}

static inline int is_han(Py_UCS4 c) {
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF);
}

static void free_tables(Scorer *self) {
    PyMem_Free(self->spelling);
    PyMem_Free(self->slots);
    PyMem_Free(self->starts);
    PyMem_Free(self->pieces);
    PyMem_Free(self->pairs.entries);
    PyMem_Free(self->grams.entries);
    PyMem_Free(self->han.entries);
    PyMem_Free(self->idf);
    PyMem_Free(self->coef);
    PyMem_Free(self->counts);
    PyMem_Free(self->touched);
    memset((char *)self + sizeof(PyObject), 0, sizeof(Scorer) - sizeof(PyObject));
}

static void Scorer_dealloc(Scorer *self) {
    free_tables(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Copy a buffer of `size`-byte items into new memory; set *n to the number of items. */
static void *copy_items(Py_buffer *view, Py_ssize_t size, Py_ssize_t *n, const char *name) {
    if (view->len % size != 0) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes is not a whole number of %zd-byte items", name,
                     view->len, size);
        return NULL;
    }
    *n = view->len / size;
    void *out = PyMem_Malloc(view->len ? (size_t)view->len : 1);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(out, view->buf, (size_t)view->len);
    return out;
}

static int check_features(const int32_t *numbers, Py_ssize_t n, Py_ssize_t n_features, const char *name) {
    for (Py_ssize_t i = 0; i < n; i++) {
        if (numbers[i] < 0 || numbers[i] >= n_features) {
            PyErr_Format(PyExc_ValueError, "%s: feature number %d is out of range", name, numbers[i]);
            return -1;
        }
    }
    return 0;
}

static int add_words(Scorer *self, PyObject *words) {
    PyObject *sequence = PySequence_Fast(words, "words: a sequence of str");
    if (sequence == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(sequence);
    if (n >= INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "words: too many");
        Py_DECREF(sequence);
        return -1;
    }
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t length;
        if (PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(sequence, i), &length) == NULL) {
            Py_DECREF(sequence);
            return -1;
        }
        total += length;
    }
    size_t size = 1;
    while (size < 2 * (size_t)n + 1) {
        size *= 2;
    }
    self->spelling = PyMem_Malloc(total ? (size_t)total : 1);
    self->slots = PyMem_Malloc(size * sizeof(Slot));
    if (self->spelling == NULL || self->slots == NULL) {
        PyErr_NoMemory();
        Py_DECREF(sequence);
        return -1;
    }
    for (size_t i = 0; i < size; i++) {
        self->slots[i].id = -1;
    }
    self->mask = size - 1;
    self->n_words = (int32_t)n;
    Py_ssize_t offset = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t length;
        const char *word = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(sequence, i), &length);
        if (word_id(self, (const unsigned char *)word, length) >= 0) {
            PyErr_Format(PyExc_ValueError, "words: %R is listed twice", PySequence_Fast_GET_ITEM(sequence, i));
            Py_DECREF(sequence);
            return -1;
        }
        memcpy(self->spelling + offset, word, (size_t)length);
        uint64_t hash = fnv1a((const unsigned char *)word, length);
        size_t at = (size_t)hash & self->mask;
        while (self->slots[at].id >= 0) {
            at = (at + 1) & self->mask;
        }
        self->slots[at] = (Slot){hash, offset, length, (int32_t)i};
        offset += length;
    }
    Py_DECREF(sequence);
    return 0;
}

static int Scorer_init(Scorer *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"words",     "starts",        "pieces",   "pair_keys",    "pair_features",
                               "gram_keys", "gram_features", "han_keys", "han_features", "idf",
                               "coef",      NULL};
    PyObject *words;
    Py_buffer views[10];
    memset(views, 0, sizeof(views));
    free_tables(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "Oy*y*y*y*y*y*y*y*y*y*", keywords, &words, &views[0],
                                     &views[1], &views[2], &views[3], &views[4], &views[5], &views[6],
                                     &views[7], &views[8], &views[9])) {
        return -1;
    }
    int status = -1;
    Py_ssize_t n_starts, n_pieces, n_coef;
    if (add_words(self, words) < 0 ||
        (self->starts = copy_items(&views[0], 4, &n_starts, "starts")) == NULL ||
        (self->pieces = copy_items(&views[1], 4, &n_pieces, "pieces")) == NULL ||
        (self->idf = copy_items(&views[8], 8, &self->n_features, "idf")) == NULL ||
        (self->coef = copy_items(&views[9], 8, &n_coef, "coef")) == NULL) {
        goto done;
    }
    if (n_starts != (Py_ssize_t)self->n_words + 1 || n_coef != self->n_features || self->n_features >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "the tables' lengths do not agree");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_starts; i++) {
        if (self->starts[i] < (i ? self->starts[i - 1] : 0) || self->starts[i] > n_pieces) {
            PyErr_SetString(PyExc_ValueError, "starts: not an increasing list of offsets into pieces");
            goto done;
        }
    }
    if (check_features(self->pieces, n_pieces, self->n_features, "pieces") < 0 ||
        fill(&self->pairs, "pairs", &views[2], &views[3], 0, self->n_features) < 0 ||
        fill(&self->grams, "grams", &views[4], &views[5], 1, self->n_features) < 0 ||
        fill(&self->han, "han", &views[6], &views[7], 0, self->n_features) < 0) {
        goto done;
    }
    size_t table = self->n_features ? (size_t)self->n_features : 1;
    self->counts = PyMem_Calloc(table, sizeof(int32_t));
    self->touched = PyMem_Malloc(table * sizeof(int32_t));
    if (self->counts == NULL || self->touched == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    status = 0;
done:
    for (int i = 0; i < 10; i++) {
        PyBuffer_Release(&views[i]);
    }
    if (status < 0) {
        free_tables(self);
    }
    return status;
}

/* The four-letter pieces of an unknown word that the model knows: `padded` is " word ". */
static void count_grams(Scorer *self, const unsigned char *padded, Py_ssize_t length, Py_ssize_t *n_touched) {
    for (Py_ssize_t i = 0; i + 4 <= length; i++) {
        uint32_t key = (uint32_t)padded[i] | (uint32_t)padded[i + 1] << 8 | (uint32_t)padded[i + 2] << 16 |
                       (uint32_t)padded[i + 3] << 24;
        int32_t feature = lookup(&self->grams, key);
        if (feature >= 0) {
            count(self, feature, n_touched);
        }
    }
}

static PyObject *Scorer_sums(Scorer *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "sums() takes a str");
        return NULL;
    }
    if (self->counts == NULL) {
        PyErr_SetString(PyExc_ValueError, "the scorer has no tables");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    unsigned char *padded = PyMem_Malloc((size_t)n + 2); /* the longest word, a space at each end */
    if (padded == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t n_touched = 0;
    int32_t previous = -1; /* the last token's word id: -1 for an unknown word, a Chinese run or none */
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_word(c)) {
            Py_ssize_t length = 0;
            padded[0] = ' ';
            while (i < n && is_word(c = PyUnicode_READ(kind, data, i))) {
                padded[1 + length++] = (unsigned char)c;
                i++;
            }
            int32_t id = word_id(self, padded + 1, length);
            if (id >= 0) {
                for (int32_t k = self->starts[id]; k < self->starts[id + 1]; k++) {
                    count(self, self->pieces[k], &n_touched);
                }
                int32_t pair = previous >= 0 ? lookup(&self->pairs, (int64_t)previous * self->n_words + id) : -1;
                if (pair >= 0) {
                    count(self, pair, &n_touched);
                }
            } else {
                padded[1 + length] = ' ';
                count_grams(self, padded, length + 2, &n_touched);
            }
            previous = id;
        } else if (is_han(c)) {
            Py_UCS4 before = 0;
            while (i < n && is_han(c = PyUnicode_READ(kind, data, i))) {
                int32_t feature = lookup(&self->han, (int64_t)c);
                if (feature >= 0) {
                    count(self, feature, &n_touched);
                }
                feature = before ? lookup(&self->han, ((int64_t)before << 16) | (int64_t)c) : -1;
                if (feature >= 0) {
                    count(self, feature, &n_touched);
                }
                before = c;
                i++;
            }
            previous = -1;
        } else {
            i++;
        }
    }
    PyMem_Free(padded);
    double square = 0.0, dot = 0.0;
    for (Py_ssize_t k = 0; k < n_touched; k++) {
        int32_t feature = self->touched[k];
        double value = (1.0 + log((double)self->counts[feature])) * self->idf[feature];
        self->counts[feature] = 0;
        square += value * value;
        dot += value * self->coef[feature];
    }
    return Py_BuildValue("(dd)", square, dot);
}

static PyMethodDef Scorer_methods[] = {
    {"sums", (PyCFunction)Scorer_sums, METH_O,
     "sums(normalised) -> (square, dot): the share's TF-IDF features' squared norm and dot product "
     "with the weights, before L2 normalisation."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScorerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bot.screening._wordscore.Scorer",
    .tp_doc = "The word model's tables, for scoring a share in one pass (see learned.py).",
    .tp_basicsize = sizeof(Scorer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scorer_init,
    .tp_dealloc = (destructor)Scorer_dealloc,
    .tp_methods = Scorer_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "bot.screening._wordscore",
    .m_doc = "The word model's scorer in C (optional: bot/screening/learned.py falls back to numpy).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__wordscore(void) {
    if (PyType_Ready(&ScorerType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&ScorerType);
    if (PyModule_AddObject(m, "Scorer", (PyObject *)&ScorerType) < 0) {
        Py_DECREF(&ScorerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
