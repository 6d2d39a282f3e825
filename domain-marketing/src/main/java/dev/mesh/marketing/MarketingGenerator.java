package dev.mesh.marketing;

import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.sdk.Publisher;
import dev.mesh.service.SourceProducts;
import dev.mesh.service.StreamsApps;
import dev.mesh.schemas.marketing.campaigns.v1.Campaign;
import dev.mesh.schemas.marketing.campaigns.v1.Channel;
import dev.mesh.schemas.marketing.campaigns.v1.Currency;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.schemas.marketing.campaigntouches.v1.TouchKind;
import dev.mesh.schemas.sales.customers.v1.Customer;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Subscriber;
import dev.mesh.service.Generator;
import dev.mesh.service.GeneratorEnabled;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthetic campaign traffic, on when {@code generator.rate} (touches per second) is positive: a handful of
 * campaigns launched at start and now and then renamed, and ad clicks and e-mail opens of the customers sales
 * signs up (read from sales.customers). Some touches are reported late, as tracking pixels and ad networks do.
 */
@Requires(env = MarketingDomain.ENV)
@Context
@Requires(condition = GeneratorEnabled.class)
final class MarketingGenerator {
    private static final int REMEMBERED_CUSTOMERS = 10_000;
    private static final double RENAME_CHANCE = 0.002;
    private static final double LATE_CHANCE = 0.15;
    private static final Duration MOST_LATE = Duration.ofMinutes(30);
    private static final Pattern WAVE = Pattern.compile("(.*) \\(wave (\\d+)\\)");

    private final Publisher<Campaign> campaignPublisher;
    private final Publisher<Touch> touches;
    private final List<Campaign> campaigns;
    private final List<String> customerIds = new ArrayList<>();
    private int nextCustomerSlot;
    private final Subscriber<Customer> customers;
    private final Generator generator;

    MarketingGenerator(Mesh mesh, SourceProducts products, StreamsApps apps, @Value("${generator.rate}") double rate) {
        this.campaignPublisher = products.publisher(MarketingProducts.CAMPAIGNS);
        this.touches = products.publisher(MarketingProducts.CAMPAIGN_TOUCHES);
        this.campaigns = new ArrayList<>(launch(Instant.now()));
        campaigns.forEach(c -> campaignPublisher.publish(c, Generator.by("marketing")));
        // Only the id of a generated customer is kept: a customer's name and e-mail (PII) never leave the handler.
        this.customers = mesh.subscriber(SalesProducts.CUSTOMERS).group("marketing-touch-generator").handler(record -> {
            if (Generator.generated(record)) {
                remember(record.value().getCustomerId());
            }
        }).start();
        this.generator = Generator.start("marketing", rate, apps::instances, this::step);
    }

    /** Stable ids, so a restart updates the same campaigns instead of adding new ones. */
    private static List<Campaign> launch(Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        Instant end = start.plus(60, ChronoUnit.DAYS);
        return List.of(
                new Campaign("cmp-spring-newsletter", "Spring newsletter", Channel.EMAIL, new BigDecimal("2500.00"), Currency.EUR, start, end),
                new Campaign("cmp-brand-search", "Brand search", Channel.SEARCH, new BigDecimal("8000.00"), Currency.EUR, start, end),
                new Campaign("cmp-summer-social", "Summer on social", Channel.SOCIAL, new BigDecimal("5000.00"), Currency.EUR, start, end),
                new Campaign("cmp-us-retargeting", "US display retargeting", Channel.DISPLAY, new BigDecimal("6000.00"), Currency.USD, start, end),
                new Campaign("cmp-uk-search", "UK search", Channel.SEARCH, new BigDecimal("3000.00"), Currency.GBP, start, end));
    }

    private void remember(String customerId) {
        synchronized (customerIds) {
            if (customerIds.size() < REMEMBERED_CUSTOMERS) {
                customerIds.add(customerId);
            } else {
                customerIds.set(nextCustomerSlot, customerId);
                nextCustomerSlot = (nextCustomerSlot + 1) % REMEMBERED_CUSTOMERS;
            }
        }
    }

    private String anyCustomer(ThreadLocalRandom random) {
        synchronized (customerIds) {
            return customerIds.isEmpty() ? null : customerIds.get(random.nextInt(customerIds.size()));
        }
    }

    private void step() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int c = random.nextInt(campaigns.size());
        Campaign campaign = campaigns.get(c);
        if (random.nextDouble() < RENAME_CHANCE) {
            Campaign renamed = Campaign.newBuilder(campaign).setName(renamed(campaign.getName())).build();
            campaigns.set(c, renamed);
            campaignPublisher.publish(renamed, Generator.by("marketing"));
            return;
        }
        String customerId = anyCustomer(random);
        if (customerId == null) {
            return;
        }
        Instant occurredAt = Instant.now();
        if (random.nextDouble() < LATE_CHANCE) {
            occurredAt = occurredAt.minusMillis(1 + random.nextLong(MOST_LATE.toMillis()));
        }
        TouchKind kind = campaign.getChannel() == Channel.EMAIL ? TouchKind.EMAIL_OPEN : TouchKind.AD_CLICK;
        touches.publish(new Touch("t-" + UUID.randomUUID().toString().substring(0, 12), customerId,
                campaign.getCampaignId(), kind, occurredAt), Generator.by("marketing"));
    }

    private static String renamed(String name) {
        Matcher wave = WAVE.matcher(name);
        return wave.matches() ? wave.group(1) + " (wave " + (Integer.parseInt(wave.group(2)) + 1) + ")" : name + " (wave 2)";
    }

    @PreDestroy
    void stop() {
        generator.close();
        customers.close();
    }
}
