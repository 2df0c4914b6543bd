package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventLoopDefaultTest {

    @ParameterizedTest(name = "{0} cores: {1} loops")
    @CsvSource({"1, 1", "2, 1", "3, 1", "4, 2", "5, 2", "16, 8", "64, 32"})
    void halfTheCoresAtLeastOne(int cores, int loops) {
        assertEquals(loops, MuxServer.Settings.defaultEventLoops(cores));
    }
}
