package io.bizmatters.agentexecutor.publishing;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ResultMessageIdsTest {
    private static final Instant PARKED = Instant.parse("2026-12-01T21:36:45.835344Z");

    @Test
    void everyCopyOfOneParkingsEventCarriesOneIdAndALaterParkingAnotherOne() {
        assertThat(ResultMessageIds.ofParking("job-1", PARKED)).isEqualTo(ResultMessageIds.ofParking("job-1", PARKED));
        assertThat(ResultMessageIds.ofParking("job-1", PARKED.plusMillis(1))).isNotEqualTo(ResultMessageIds.ofParking("job-1", PARKED));
        assertThat(ResultMessageIds.ofParking("job-2", PARKED)).isNotEqualTo(ResultMessageIds.ofParking("job-1", PARKED));
    }

    @Test
    void aParkingsIdIsNeverTheJobsResultId() {
        String parked = ResultMessageIds.ofParking("job-1", PARKED);
        assertThat(parked).isNotEqualTo(ResultMessageIds.ofJob("job-1", ResultEventPublisher.COMPLETED_SUBJECT))
                .isNotEqualTo(ResultMessageIds.ofJob("job-1", ResultEventPublisher.FAILED_SUBJECT))
                .startsWith("result-").hasSize("result-".length() + 32);
    }
}
