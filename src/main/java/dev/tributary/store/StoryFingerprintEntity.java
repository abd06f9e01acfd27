package dev.tributary.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** One near-duplicate index key of one entry. */
@Entity
@Table(name = "story_fingerprint")
@IdClass(StoryFingerprintEntity.Key.class)
public class StoryFingerprintEntity extends PanacheEntityBase {
    @Id
    @Column(name = "fp_key")
    public Long fpKey;
    @Id
    @Column(name = "entry_id")
    public Long entryId;

    /** Identity for JPA: a key of an entry. */
    public record Key(Long fpKey, Long entryId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
