package dev.tributary.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A story: the copies of one article; its timeline position is fixed at creation. */
@Entity
@Table(name = "story")
public class StoryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "published_at")
    public Instant publishedAt;
    @Column(name = "created_at")
    public Instant createdAt;
}
