#define _GNU_SOURCE
#include "lineshim.h"

#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>

#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* libedit reads the terminal database through termcap/terminfo, whose state is global
   (tgetent fills process-wide buffers): two sessions starting or ending at the same time
   corrupt it. Set-up and tear-down of editors are therefore serialized. */
static pthread_mutex_t terminal_database = PTHREAD_MUTEX_INITIALIZER;

/* libedit turns the wide characters it edits into the bytes el_gets returns through the C
   library's multibyte conversion, which in the default "C" locale has no characters past
   ASCII: "café" came back as "caf ". The switch speaks UTF-8 whatever the environment says
   (a systemd unit or a serial getty often sets no LANG), so character classification is
   set to UTF-8 once, before the first editor starts. Only LC_CTYPE: numbers and messages
   keep the C locale. */
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void select_utf8(void) {
    if (setlocale(LC_CTYPE, "") && strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return;
    if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "C.utf8");
}

EditLine *vmr_el_init(const char *prog, int fdin, int fdout, FILE **fin, FILE **fout) {
    pthread_once(&utf8_once, select_utf8);
    /* Each session gets its own FILE streams on dups of its descriptors, so closing the
       session never closes the caller's descriptors. */
    int in = dup(fdin), out = dup(fdout);
    if (in < 0 || out < 0) return NULL;
    *fin = fdopen(in, "r");
    *fout = fdopen(out, "w");
    if (!*fin || !*fout) return NULL;
    setvbuf(*fout, NULL, _IONBF, 0);
    pthread_mutex_lock(&terminal_database);
    EditLine *el = el_init_fd(prog, *fin, *fout, *fout, in, out, out);
    pthread_mutex_unlock(&terminal_database);
    return el;
}

void vmr_el_end(EditLine *el) {
    pthread_mutex_lock(&terminal_database);
    el_end(el);
    pthread_mutex_unlock(&terminal_database);
}

int vmr_el_set_prompt(EditLine *el, vmr_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
int vmr_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
int vmr_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }

void *vmr_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

int vmr_el_add_function(EditLine *el, const char *name, const char *help, vmr_key_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

int vmr_el_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, NULL);
}

int vmr_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

int vmr_el_raw_signals(EditLine *el) {
    return el_set(el, EL_SETTY, "-d", "-isig", "-ixon", NULL);
}

int vmr_el_signal_handling(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }

int vmr_el_set_terminal(EditLine *el, const char *type) {
    /* Reads the terminal database: serialized like set-up. */
    pthread_mutex_lock(&terminal_database);
    int r = el_set(el, EL_TERMINAL, type);
    pthread_mutex_unlock(&terminal_database);
    return r;
}

static vmr_byte_fn byte_reader;

/* One character for libedit from the session's byte reader. Bytes that are not UTF-8
   pass through as they are. */
static int read_character(EditLine *el, wchar_t *wc) {
    int b = byte_reader(el);
    if (b < 0) return -1;
    int more;
    wchar_t value;
    if (b < 0x80) { *wc = (wchar_t)b; return 1; }
    else if ((b & 0xE0) == 0xC0) { more = 1; value = b & 0x1F; }
    else if ((b & 0xF0) == 0xE0) { more = 2; value = b & 0x0F; }
    else if ((b & 0xF8) == 0xF0) { more = 3; value = b & 0x07; }
    else { *wc = (wchar_t)b; return 1; }
    while (more-- > 0) {
        int c = byte_reader(el);
        if (c < 0) return -1;
        if ((c & 0xC0) != 0x80) { *wc = (wchar_t)c; return 1; }
        value = (value << 6) | (c & 0x3F);
    }
    *wc = value;
    return 1;
}

int vmr_el_set_byte_reader(EditLine *el, vmr_byte_fn fn) {
    pthread_mutex_lock(&terminal_database);
    byte_reader = fn;
    pthread_mutex_unlock(&terminal_database);
    return el_set(el, EL_GETCFN, read_character);
}

void vmr_el_resize(EditLine *el) {
    pthread_mutex_lock(&terminal_database);
    el_resize(el);
    pthread_mutex_unlock(&terminal_database);
}

History *vmr_history_init(int size) {
    HistEvent ev;
    History *h = history_init();
    if (!h) return NULL;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}

void vmr_history_end(History *h) { history_end(h); }

int vmr_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

int vmr_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

int vmr_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

int vmr_tty_cbreak(int fd, int on) {
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return -1;
    if (on) {
        /* Without ISIG, Ctrl-C at --More-- would be SIGINT and kill the switch; cleared,
           it arrives as a key and stops the output. */
        t.c_lflag &= ~(ICANON | ECHO | ISIG);
        t.c_cc[VMIN] = 1;
        t.c_cc[VTIME] = 0;
    } else {
        t.c_lflag |= (ICANON | ECHO | ISIG);
    }
    return tcsetattr(fd, TCSANOW, &t);
}

void vmr_tty_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    } else {
        *rows = 0;
        *cols = 0;
    }
}

int vmr_open_pty(int *controller, int *device) {
    int c = posix_openpt(O_RDWR | O_NOCTTY);
    if (c < 0) return -1;
    if (grantpt(c) != 0 || unlockpt(c) != 0) { close(c); return -1; }
    const char *name = ptsname(c);
    int d = name ? open(name, O_RDWR | O_NOCTTY) : -1;
    if (d < 0) { close(c); return -1; }
    *controller = c;
    *device = d;
    return 0;
}
