package dev.unroll.samples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bar fits the terminal's width so that it never wraps (a wrapped bar would print a line per redraw). */
class ProgressTest {

    @Test
    void theBarIsOneColumnNarrowerThanTheTerminalOr79() {
        assertEquals(119, Progress.width("120"));
        assertEquals(79, Progress.width(null));
        assertEquals(79, Progress.width("wide"));
        assertEquals(79, Progress.width("5"));
    }
}
