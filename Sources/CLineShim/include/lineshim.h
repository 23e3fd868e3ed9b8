#ifndef VMREADY_LINESHIM_H
#define VMREADY_LINESHIM_H

#include <histedit.h>
#include <stdio.h>

/* libedit's el_set and history are variadic, which Swift cannot call; these fixed-arity
   wrappers expose exactly the calls the console needs. */

typedef char *(*vmr_prompt_fn)(EditLine *);
typedef unsigned char (*vmr_key_fn)(EditLine *, int);

EditLine *vmr_el_init(const char *prog, int fdin, int fdout, FILE **fin, FILE **fout);
void vmr_el_end(EditLine *el);
int vmr_el_set_prompt(EditLine *el, vmr_prompt_fn fn);
int vmr_el_set_editor(EditLine *el, const char *mode);
int vmr_el_set_clientdata(EditLine *el, void *data);
void *vmr_el_get_clientdata(EditLine *el);
int vmr_el_add_function(EditLine *el, const char *name, const char *help, vmr_key_fn fn);
int vmr_el_bind(EditLine *el, const char *key, const char *function);
int vmr_el_set_history(EditLine *el, History *h);
/* Clears ISIG and IXON in edit mode so Ctrl-C, Ctrl-Z, Ctrl-S reach the key bindings
   instead of becoming signals: a console may run on a terminal that is not ours. */
int vmr_el_raw_signals(EditLine *el);
int vmr_el_signal_handling(EditLine *el, int on);
/* The terminal type (TERM) of a terminal that is not the process's own. */
int vmr_el_set_terminal(EditLine *el, const char *type);
/* Keys come from `fn` (one byte, or -1 to end the session's input), decoded as UTF-8
   here, instead of libedit reading the descriptor itself. Every session passes the same
   function (it finds its session through the client data). */
typedef int (*vmr_byte_fn)(EditLine *);
int vmr_el_set_byte_reader(EditLine *el, vmr_byte_fn fn);
/* The window changed size: libedit reads it again from the terminal. */
void vmr_el_resize(EditLine *el);

History *vmr_history_init(int size);
void vmr_history_end(History *h);
int vmr_history_enter(History *h, const char *line);
int vmr_history_load(History *h, const char *path);
int vmr_history_save(History *h, const char *path);

/* Puts a terminal fd in or out of single-key mode (for the --More-- pager); in it,
   Ctrl-C is a key, not a signal. */
int vmr_tty_cbreak(int fd, int on);
/* Rows and columns of the terminal on fd; 0 when unknown. */
void vmr_tty_size(int fd, int *rows, int *cols);

/* A new pseudo-terminal pair (a session's terminal, handed over like a serial line). */
int vmr_open_pty(int *controller, int *device);

#endif
