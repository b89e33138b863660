#include "ui/term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ui/theme.h"

/* Signal handlers can reach nothing but file-scope state: whether curses is
 * active, and the self-pipe's write end. */
static volatile sig_atomic_t curses_active;
static volatile sig_atomic_t winch_fd = -1;

static const int fatal_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGSEGV,
                                    SIGBUS,  SIGFPE, SIGILL, SIGABRT};
#define NFATAL (sizeof fatal_signals / sizeof *fatal_signals)

static void restore(void) {
    if (curses_active) {
        curses_active = 0;
        endwin();
    }
}

static void on_fatal(int sig) {
    restore();
    /* SA_RESETHAND put the default action back: raising again ends the
     * process the way the signal asked for. */
    raise(sig);
}

static void on_winch(int sig) {
    (void)sig;
    int saved = errno;
    if (winch_fd >= 0 && write(winch_fd, "w", 1) < 0) {
        /* The pipe is full: a wake-up is pending anyway. */
    }
    errno = saved;
}

static void set_handler(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void install(int pipe_wr) {
    winch_fd = pipe_wr;
    /* Installed before curses starts, so curses keeps ours. */
    for (size_t i = 0; i < NFATAL; i++) set_handler(fatal_signals[i], on_fatal, SA_RESETHAND);
    set_handler(SIGWINCH, on_winch, SA_RESTART);
}

static void uninstall(void) {
    for (size_t i = 0; i < NFATAL; i++) set_handler(fatal_signals[i], SIG_DFL, 0);
    set_handler(SIGWINCH, SIG_DFL, 0);
    winch_fd = -1;
}

int term_open(ui_term *t, err *e) {
    memset(t, 0, sizeof *t);
    t->wake_fd = t->pipe_wr = -1;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return err_set(e, 0, "", "the console needs a terminal on stdin and stdout");
    setlocale(LC_ALL, "");
    t->utf8 = theme_locale_utf8();
    int p[2];
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0)
        return err_set(e, 0, "", "cannot create a pipe: %s", strerror(errno));
    t->wake_fd = p[0];
    t->pipe_wr = p[1];
    install(p[1]);
    atexit(restore); /* exit() from anywhere (out of memory) restores too */
    t->screen = newterm(NULL, stdout, stdin);
    if (!t->screen) {
        const char *term = getenv("TERM");
        term_close(t);
        return err_set(e, 0, "", "cannot start the terminal: TERM=%s is not known here",
                       term ? term : "(unset)");
    }
    curses_active = 1;
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    /* ^S saves in the editor and ^Q closes it: take them from the
     * terminal's flow control. After the curses calls above, which set the
     * terminal again, and remembered as the program's mode so that coming
     * back from an external editor keeps it (endwin restores the user's). */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)IXON;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        def_prog_mode();
    }
    curs_set(0);
    set_escdelay(25);
    /* No click resolution delay: a press selects at once. Presses and
     * releases read in one go still come merged into clicks. */
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
                  BUTTON5_PRESSED,
              NULL);
    mouseinterval(0);
    return 0;
}

void term_close(ui_term *t) {
    restore();
    if (t->screen) delscreen(t->screen);
    t->screen = NULL;
    if (t->wake_fd >= 0 || t->pipe_wr >= 0) uninstall();
    if (t->wake_fd >= 0) close(t->wake_fd);
    if (t->pipe_wr >= 0) close(t->pipe_wr);
    t->wake_fd = t->pipe_wr = -1;
}

bool term_take_resize(ui_term *t) {
    char b[64];
    bool any = false;
    while (read(t->wake_fd, b, sizeof b) > 0) any = true;
    if (!any) return false;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    return true;
}
