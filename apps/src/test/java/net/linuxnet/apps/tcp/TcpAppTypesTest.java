package net.linuxnet.apps.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.OptionException;
import net.linuxnet.apps.testing.TestingKernel;
import net.linuxnet.core.config.OptionsView;
import org.junit.jupiter.api.Test;

/** The keys of {@code tcp-server} and {@code tcp-client}, their defaults and their errors; the series section. */
final class TcpAppTypesTest {
    private final TestingKernel kernel = new TestingKernel();

    private Application create(String kind, String hocon) {
        ApplicationType type = TcpAppTypes.all().stream().filter(t -> t.kind().equals(kind)).findFirst().orElseThrow();
        return type.create("app" + kernel.reportSections.size(), kernel,
                new OptionsView(ConfigFactory.parseString(hocon).root(), "linuxnet.hosts.a.apps.x"));
    }

    @Test
    void serverModesAndTheirKeys() {
        assertThat(create("tcp-server", "listen = \"10.0.0.2:80\"")).isInstanceOf(TcpServer.class);
        assertThat(create("tcp-server", "listen = \"10.0.0.2:80\", mode = echo")).isInstanceOf(TcpServer.class);
        assertThat(create("tcp-server", "listen = \"0.0.0.0:80\", mode = reply, request = 100, reply-bytes = 1kb,"
                + " accept = delay, accept-delay = 5ms, sample-interval = 0")).isInstanceOf(TcpServer.class);
        assertThatThrownBy(() -> create("tcp-server", "listen = \"10.0.0.2:80\", mode = chargen"))
                .isInstanceOf(OptionException.class).hasMessageContaining("discard").hasMessageContaining("reply");
        assertThatThrownBy(() -> create("tcp-server", "listen = \"10.0.0.2:80\", mode = reply, request = 0"))
                .isInstanceOf(OptionException.class).hasMessageContaining("request");
        assertThatThrownBy(() -> create("tcp-server", "listen = \"10.0.0.2:80\", accept-rate = fast"))
                .isInstanceOf(OptionException.class).hasMessageContaining("200/s");
    }

    @Test
    void clientWorkIsConnectOnlyBulkOrOneExchange() {
        assertThat(create("tcp-client", "dst = \"10.0.0.2:80\"")).isInstanceOf(TcpClient.class);
        assertThat(create("tcp-client", "dst = \"10.0.0.2:80\", bytes = 1mb, arrivals = poisson, rate = \"200/s\""))
                .isInstanceOf(TcpClient.class);
        assertThat(create("tcp-client", "dst = \"10.0.0.2:80\", request = 100, response = 1000, start = 500ms"))
                .isInstanceOf(TcpClient.class);
        assertThatThrownBy(() -> create("tcp-client", "dst = \"10.0.0.2:80\", bytes = 1000, request = 100"))
                .isInstanceOf(OptionException.class).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> create("tcp-client", "dst = \"10.0.0.2:80\", response = 1000"))
                .isInstanceOf(OptionException.class).hasMessageContaining("needs a request");
        assertThatThrownBy(() -> create("tcp-client", "dst = \"10.0.0.2:0\""))
                .isInstanceOf(OptionException.class).hasMessageContaining("ip:port");
        assertThatThrownBy(() -> create("tcp-client", "dst = \"10.0.0.2:80\", arrivals = bursty"))
                .isInstanceOf(OptionException.class).hasMessageContaining("poisson");
    }

    @Test
    void oneSeriesSectionPerHostHoldsEveryApp() {
        create("tcp-server", "listen = \"10.0.0.2:80\"");
        create("tcp-client", "dst = \"10.0.0.2:80\"");
        create("tcp-server", "listen = \"10.0.0.2:81\", sample-interval = 0");
        assertThat(kernel.reportSections).hasSize(1);
        TcpAppSeries series = (TcpAppSeries) kernel.reportSections.get(0);
        assertThat(series.key()).isEqualTo("series");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> json = (Map<String, Map<String, Map<String, Object>>>) series.json();
        assertThat(json).containsOnlyKeys("app0", "app1");
        assertThat(json.get("app0").get("acceptq").get("columns"))
                .isEqualTo(List.of("t_ms", "acceptq_len", "synq_len", "listen_overflows", "listen_drops", "accepted"));
        assertThat(json.get("app0").get("acceptq").get("rows")).isEqualTo(List.of());
        assertThat(json.get("app1").get("connect").get("columns"))
                .isEqualTo(List.of("latency_s", "connections", "min_ns", "max_ns"));
        StringBuilder text = new StringBuilder();
        series.text(text);
        assertThat(text.toString()).contains("$ series app0 acceptq\nt_ms acceptq_len synq_len");
    }

    @Test
    void anEpollItemQueuesOnceAndWakesItsOwner() {
        kernel.taskCreate("owner", 0, t -> { });
        ArrayDeque<EpollItem> rdllist = new ArrayDeque<>();
        EpollItem a = new EpollItem(kernel.task, rdllist) { };
        EpollItem b = new EpollItem(kernel.task, rdllist) { };
        a.wakeUp();
        b.wakeUp();
        a.wakeUp();
        assertThat(kernel.task.runnable).isTrue();
        assertThat(rdllist).containsExactly(a, b);
        assertThat(EpollItem.poll(rdllist)).isSameAs(a);
        a.wakeUp();
        assertThat(rdllist).containsExactly(b, a);
        assertThat(a.comm()).isEqualTo("owner");
        assertThatThrownBy(() -> a.wakeUpAt(1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
